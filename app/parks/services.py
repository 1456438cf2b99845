"""Queries about parks: the list, the buildings in and near a park, the news that mentions it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, joinedload

from app.config import PARK_RADIUS_KM
from app.extensions import db
from app.geo.distance import bounding_box, km_between
from app.geo.maps import MapPoint, RenderedMap, build_map
from app.listings.services import BuildingCard, cards
from app.listings.services import published as published_buildings
from app.market.services import place_articles
from app.models import Article, Building, Park, Place, PlaceKind, Unit, UnitStatus


@dataclass
class NearbyBuilding:
    """A building in or near a place, with its distance and the units still on the market."""

    card: BuildingCard
    distance_km: float
    inside: bool
    units: list[Unit]


def all_parks() -> list[Park]:
    query = select(Park).join(Park.place).options(joinedload(Park.place)).order_by(Place.name)
    return list(db.session.scalars(query))


def get_park(slug: str) -> Park | None:
    query = select(Park).where(Park.slug == slug).options(joinedload(Park.place))
    return db.session.scalar(query)


def buildings_in_or_near(
    lat: float,
    lon: float,
    radius_km: float,
    inside: tuple[InstrumentedAttribute, int] | None = None,
) -> list[tuple[Building, float, bool]]:
    """Published buildings within `radius_km` of the point or with `inside` (a column and a
    value, such as Building.park_id and a park's id); nearest first."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius_km)
    in_box = and_(Building.lat.between(min_lat, max_lat), Building.lon.between(min_lon, max_lon))
    in_place = inside[0] == inside[1] if inside else false()
    query = (
        published_buildings()
        .where(or_(in_box, in_place))
        .options(
            joinedload(Building.town), joinedload(Building.district), joinedload(Building.park)
        )
    )
    found = []
    for building in db.session.scalars(query).unique():
        if building.lat is None or building.lon is None:
            continue
        km = km_between((lat, lon), (building.lat, building.lon))
        is_inside = bool(inside) and getattr(building, inside[0].key) == inside[1]
        if km <= radius_km or is_inside:
            found.append((building, km, is_inside))
    return sorted(found, key=lambda row: row[1])


def park_buildings(park: Park, radius_km: float = PARK_RADIUS_KM) -> list[NearbyBuilding]:
    """Buildings in the park or within `radius_km` of its centre, with their available units."""
    rows = buildings_in_or_near(
        park.place.lat, park.place.lon, radius_km, (Building.park_id, park.id)
    )
    buildings = [b for b, _km, _in in rows]
    units: dict[int, list[Unit]] = {b.id: [] for b in buildings}
    if buildings:
        query = (
            select(Unit)
            .where(Unit.building_id.in_(units), Unit.status == UnitStatus.AVAILABLE)
            .order_by(Unit.building_id, Unit.deal, Unit.area_m2)
        )
        for unit in db.session.scalars(query):
            units[unit.building_id].append(unit)
    return [
        NearbyBuilding(card, km, inside, units[card.building.id])
        for card, (_b, km, inside) in zip(cards(buildings), rows, strict=True)
    ]


def park_articles(park: Park, limit: int = 10) -> list[Article]:
    """Published news that mentions the park, newest first."""
    return place_articles(park.place, limit)


def building_point(building: Building, km: float | None = None) -> MapPoint:
    """A building's pin, linking to its page; `km` from the park's centre, when outside it."""
    url = url_for("listings.building", building_id=building.id)
    note = f"距园区中心 {km:.1f} km" if km is not None else None
    return MapPoint(building.lat, building.lon, building.name, "building", url, note)


def parks_map(parks: list[Park]) -> RenderedMap:
    """All parks as circles, their boundaries drawn where known."""
    points = [
        MapPoint(
            p.place.lat,
            p.place.lon,
            p.place.name,
            "park",
            url_for("parks.park", slug=p.slug),
            p.kind,
        )
        for p in parks
    ]
    boundaries = [(p.place.name, p.place.boundary) for p in parks if p.place.boundary]
    return build_map(points, zoom=10, boundaries=boundaries)


def park_map(park: Park, nearby: list[NearbyBuilding]) -> RenderedMap:
    """The park's boundary (or centre) and the buildings in and near it."""
    points = [MapPoint(park.place.lat, park.place.lon, park.place.name, "park")]
    for item in nearby:
        km = None if item.inside else item.distance_km
        points.append(building_point(item.card.building, km))
    boundaries = [(park.place.name, park.place.boundary)] if park.place.boundary else []
    centre = (park.place.lat, park.place.lon)
    return build_map(points, center=centre, zoom=13, boundaries=boundaries)


def parks_with_counts() -> list[tuple[Park, int]]:
    """Every park with the number of published buildings assigned to it."""
    parks = all_parks()
    counts = dict(
        db.session.execute(
            published_buildings()
            .with_only_columns(Building.park_id, func.count(Building.id))
            .where(Building.park_id.is_not(None))
            .group_by(Building.park_id)
        ).all()
    )
    return [(p, counts.get(p.id, 0)) for p in parks]


def parks_by_district(parks: list[tuple[Park, int]]) -> list[tuple[str, list[tuple[Park, int]]]]:
    """The parks grouped by the district they lie in, the district with most parks first."""
    groups: dict[str, list[tuple[Park, int]]] = {}
    for park, count in parks:
        district = park.place.ancestor(PlaceKind.DISTRICT)
        groups.setdefault(district.name if district else "其他", []).append((park, count))
    return sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
