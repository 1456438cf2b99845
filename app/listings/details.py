"""What a building page shows beside the building: distances, neighbours, news, freshness."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.geo.distance import bounding_box, km_between
from app.listings.services import BuildingCard, cards, freshness, nearest_buildings
from app.models import (
    Article,
    ArticlePlace,
    Building,
    BuildingStatus,
    Place,
    PlaceKind,
    Role,
    Unit,
    User,
)
from app.models.base import utcnow

KEY_STATION = "诸暨站"
STATION_RADIUS_KM = 40.0
MAP_STATION_KM = 15.0
NEIGHBOUR_RADIUS_KM = 5.0  # the buildings a building page lists and compares as its neighbours


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


def key_distances(building: Building, stations: list[tuple[Place, float]]) -> list[Distance]:
    """Distances to what tenants ask about: 诸暨站, the nearest stations, the district seat."""
    if building.lat is None:
        return []
    here = (building.lat, building.lon)
    result: dict[str, float] = {}
    key = db.session.scalar(select(Place).where(Place.name == KEY_STATION))
    if key is not None:
        result[key.name] = km_between(here, (key.lat, key.lon))
    for station, km in stations:
        result.setdefault(station.name, km)
    if building.district is not None:
        result.setdefault(
            f"{building.district.name}中心", km_between(here, _point(building.district))
        )
    if building.park is not None:
        result.setdefault(building.park.place.name, km_between(here, _point(building.park.place)))
    return [Distance(label, km) for label, km in sorted(result.items(), key=lambda kv: kv[1])]


def related_news(building: Building, limit: int = 6) -> list[Article]:
    """Articles about the building's park first, then its town, then its district; newest first.

    One question per level, each stopping at `limit`: a district is named by thousands of
    articles, and ranking them all to show six costs more than the rest of the page.
    """
    levels = [
        place_id
        for place_id in (
            building.park.place_id if building.park is not None else None,
            building.town_id,
            building.district_id,
        )
        if place_id is not None
    ]
    found: list[int] = []
    for place_id in levels:
        found += newest_about(place_id, limit - len(found), exclude=found)
        if len(found) >= limit:
            break
    articles = {a.id: a for a in db.session.scalars(select(Article).where(Article.id.in_(found)))}
    return [articles[i] for i in found]


RECENT_ARTICLES = 500


def newest_about(place_id: int, n: int, exclude: list[int]) -> list[int]:
    """The ids of the `n` newest published articles naming a place, other than `exclude`.

    A town or a district is named by a good share of all articles, so its newest few are among
    the newest RECENT_ARTICLES: walked in order on the (status, published_at) index, each
    looked up among the place's mentions by primary key, the walk stops at `n` instead of
    sorting all of a town's mentions (thousands on the benchmark market). A place named more seldom
    than that: its own mentions, sorted (they are few; the status test is written so that the
    planner starts from them).
    """
    recent = (
        select(Article.id, Article.published_at)
        .where(Article.status == "published", Article.id.not_in(exclude))
        .order_by(Article.published_at.desc(), Article.id.desc())
        .limit(RECENT_ARTICLES)
        .subquery()
    )
    named = (
        select(ArticlePlace.article_id)  # a column of the primary key's index: no row is read
        .where(ArticlePlace.article_id == recent.c.id, ArticlePlace.place_id == place_id)
        .exists()
    )
    walk = (
        select(recent.c.id).where(named).order_by(recent.c.published_at.desc(), recent.c.id.desc())
    )
    ids = list(db.session.scalars(walk.limit(n)))
    if len(ids) == n:
        return ids
    mentioned = (
        select(Article.id)
        .join(ArticlePlace, ArticlePlace.article_id == Article.id)
        .where(ArticlePlace.place_id == place_id, (Article.status + "") == "published")
        .where(Article.id.not_in(exclude))
        .order_by(Article.published_at.desc(), Article.id.desc())
    )
    return list(db.session.scalars(mentioned.limit(n)))


def similar_nearby(
    building: Building, near: list[tuple[Building, float]], limit: int = 4
) -> list[BuildingCard]:
    """Of the nearest buildings, those of the same grade first, as cards with distances."""
    chosen = sorted(near, key=lambda pair: (pair[0].grade != building.grade, pair[1]))[:limit]
    result = cards([b for b, _ in chosen])
    for card, (_, km) in zip(result, chosen, strict=True):
        card.distance_km = km
    return result


@dataclass
class BuildingPage:
    """Everything the building page shows beside the building itself."""

    units: list[UnitRow]
    distances: list[Distance]
    news: list[Article]
    similar: list[BuildingCard]
    nearby: list[tuple[Building, float]]
    map_stations: list[tuple[Place, float]]


def page(building: Building) -> BuildingPage:
    nearby: list[tuple[Building, float]] = []
    stations: list[tuple[Place, float]] = []
    if building.lat is not None:
        nearby = nearest_buildings(
            building.lat, building.lon, NEIGHBOUR_RADIUS_KM, exclude=building.id, limit=12
        )
        stations = stations_near(building.lat, building.lon)
    return BuildingPage(
        units=public_units(building),
        distances=key_distances(building, stations),
        news=related_news(building),
        similar=similar_nearby(building, nearby),
        nearby=nearby[:6],
        # Far stations would zoom the map out past the building; the distance list names them.
        map_stations=[(s, km) for s, km in stations if km <= MAP_STATION_KM],
    )


@dataclass
class AgentCard:
    """What a building page says about its agent: never the email, the mobile only masked."""

    id: int
    name: str
    company: str | None
    photo: str | None  # a stored photo's filename (its thumbnail is shown)
    masked_mobile: str | None
    has_page: bool  # an active agent has a public page (/agents/<id>)

    @property
    def initials(self) -> str:
        return self.name[:1] or "经"


def mask_mobile(mobile: str | None) -> str | None:
    """138****5678: enough to recognise a number, not to dial it."""
    if not mobile:
        return None
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 8 else "****"


def owner_card(building_id: int) -> AgentCard | None:
    """The agent card of a published building's owner, or None (no building, no owner)."""
    owner = db.session.scalar(
        select(User)
        .join(Building, Building.owner_id == User.id)
        .where(Building.id == building_id, Building.status == BuildingStatus.PUBLISHED)
    )
    if owner is None:
        return None
    return AgentCard(
        id=owner.id,
        name=owner.name,
        company=owner.company,
        photo=owner.photo,
        # A deactivated account's number is not offered (显示电话 would find nobody).
        masked_mobile=mask_mobile(owner.mobile) if owner.active else None,
        has_page=owner.active and owner.role == Role.AGENT,
    )


def _point(place: Place) -> tuple[float, float]:
    return place.lat, place.lon


def _km(pair) -> float:
    return pair[1]
