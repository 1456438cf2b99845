"""What a building page shows beside the building: distances, neighbours, news, freshness."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.geo.distance import bounding_box, km_between
from app.listings.services import buildings_near, cards, freshness
from app.models import Article, ArticlePlace, Building, Place, PlaceKind, Unit
from app.models.base import utcnow

KEY_STATION = "诸暨站"
STATION_RADIUS_KM = 40.0
MAP_STATION_KM = 15.0


@dataclass
class UnitRow:
    unit: Unit
    freshness: str  # fresh / stale (待确认)


@dataclass
class Distance:
    label: str
    km: float


def public_units(building: Building, now: datetime | None = None) -> list[UnitRow]:
    """The units a tenant may see, confirmed ones first; expired ones are left out."""
    now = now or utcnow()
    rows = [UnitRow(u, freshness(u.confirmed_at, now)) for u in building.units]
    rows = [row for row in rows if row.freshness != "expired"]
    return sorted(rows, key=lambda r: (r.freshness != "fresh", r.unit.floor or 0))


def stations_near(lat: float, lon: float, limit: int = 3) -> list[tuple[Place, float]]:
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, STATION_RADIUS_KM)
    stations = db.session.scalars(
        select(Place).where(
            Place.kind == PlaceKind.STATION,
            Place.lat.between(min_lat, max_lat),
            Place.lon.between(min_lon, max_lon),
        )
    ).all()
    found = sorted(((s, km_between((lat, lon), (s.lat, s.lon))) for s in stations), key=_km)
    return found[:limit]


def key_distances(building: Building) -> list[Distance]:
    """Distances to what tenants ask about: 诸暨站, the nearest stations, the district seat."""
    if building.lat is None:
        return []
    here = (building.lat, building.lon)
    result: dict[str, float] = {}
    key = db.session.scalar(select(Place).where(Place.name == KEY_STATION))
    if key is not None:
        result[key.name] = km_between(here, (key.lat, key.lon))
    for station, km in stations_near(*here):
        result.setdefault(station.name, km)
    if building.district is not None:
        result.setdefault(
            f"{building.district.name}中心", km_between(here, _point(building.district))
        )
    if building.park is not None:
        result.setdefault(building.park.place.name, km_between(here, _point(building.park.place)))
    return [Distance(label, km) for label, km in sorted(result.items(), key=lambda kv: kv[1])]


def related_news(building: Building, limit: int = 6) -> list[Article]:
    """Articles about the building's park first, then its town, then its district; newest first."""
    weights: dict[int, int] = {}
    if building.park is not None:
        weights[building.park.place_id] = 3
    if building.town is not None:
        weights[building.town.id] = 2
    if building.district is not None:
        weights[building.district.id] = 1
    if not weights:
        return []
    links = db.session.execute(
        select(ArticlePlace.article_id, ArticlePlace.place_id).where(
            ArticlePlace.place_id.in_(weights)
        )
    ).all()
    score: dict[int, int] = {}
    for article_id, place_id in links:
        score[article_id] = max(score.get(article_id, 0), weights[place_id])
    articles = db.session.scalars(
        select(Article).where(Article.status == "published", Article.id.in_(score))
    ).all()
    articles = sorted(articles, key=lambda a: (score[a.id], a.published_at), reverse=True)
    return articles[:limit]


def similar_nearby(building: Building, limit: int = 4):
    """Other published buildings within 5 km, the same grade first, as cards with distances."""
    if building.lat is None:
        return []
    near = buildings_near(building.lat, building.lon, 5.0, exclude=building.id, limit=20)
    near.sort(key=lambda pair: (pair[0].grade != building.grade, pair[1]))
    chosen = near[:limit]
    result = cards([b for b, _ in chosen])
    for card, (_, km) in zip(result, chosen, strict=True):
        card.distance_km = km
    return result


def _point(place: Place) -> tuple[float, float]:
    return place.lat, place.lon


def _km(pair) -> float:
    return pair[1]
