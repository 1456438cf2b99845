"""Queries and rules for buildings and units as tenants see them: the search and its figures."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import g, has_request_context
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.config import EXPIRED_AFTER_DAYS, STALE_AFTER_DAYS
from app.extensions import db
from app.geo.distance import km_between
from app.listings import spatial
from app.models import Building, BuildingStatus, Park, Place, PlaceKind, Unit, UnitStatus
from app.models.base import utcnow

STALE_AFTER = timedelta(days=STALE_AFTER_DAYS)
EXPIRED_AFTER = timedelta(days=EXPIRED_AFTER_DAYS)
LATLON = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,，]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def freshness(confirmed_at: datetime | None, now: datetime) -> str:
    """fresh, stale (unconfirmed over STALE_AFTER: 待确认) or expired (over EXPIRED_AFTER: not
    public)."""
    if confirmed_at is None or confirmed_at < now - EXPIRED_AFTER:
        return "expired"
    return "stale" if confirmed_at < now - STALE_AFTER else "fresh"


@dataclass
class BuildingCard:
    """A building with the figures a list shows: cheapest rent, area range, units available."""

    building: Building
    min_rent: float | None
    max_rent: float | None
    min_area: float | None
    max_area: float | None
    units_available: int
    distance_km: float | None = None
    stale: bool = False


@dataclass
class Origin:
    """The point a `near` search measures from."""

    label: str
    lat: float
    lon: float


# What a building card shows besides the building: load it with the building, not per card.
CARD_LOADS = (
    joinedload(Building.town),
    joinedload(Building.district),
    joinedload(Building.park).joinedload(Park.place),
)


def published() -> Select:
    return select(Building).where(Building.status == BuildingStatus.PUBLISHED)


# -- places ---------------------------------------------------------------------------------


def find_place(name: str, kinds: tuple[str, ...] | None = None) -> Place | None:
    """The place called `name` (its current name or an alias), of one of `kinds`."""
    name = name.strip()
    query = select(Place)
    if kinds:
        query = query.where(Place.kind.in_(kinds))
    exact = db.session.scalars(query.where(Place.name == name)).first()
    if exact is not None:
        return exact
    return next((p for p in db.session.scalars(query) if name in (p.aliases or [])), None)


def find_park(value: str) -> Park | None:
    value = value.strip()
    park = db.session.scalar(select(Park).where(Park.slug == value))
    if park is None:
        place = find_place(value, (PlaceKind.PARK,))
        park = place.park if place is not None else None
    return park


def resolve_origin(near: str) -> Origin | None:
    """A `near` value as a point: "lat,lon" or the name of any place in the gazetteer."""
    match = LATLON.match(near)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return Origin(f"{lat:.4f},{lon:.4f}", lat, lon)
        return None
    place = find_place(near)
    return Origin(place.name, place.lat, place.lon) if place is not None else None


# -- unit figures ---------------------------------------------------------------------------


def unit_conditions(params: dict, now: datetime) -> list:
    """Conditions on units: public (available, confirmed within EXPIRED_AFTER) and the unit
    filters."""
    conditions = [Unit.status == UnitStatus.AVAILABLE, Unit.confirmed_at >= now - EXPIRED_AFTER]
    deal = params.get("deal")
    if params.get("rent_min") is not None or params.get("rent_max") is not None:
        deal = deal or "rent"
    if deal:
        conditions.append(Unit.deal == deal)
    if params.get("rent_min") is not None:
        conditions.append(Unit.rent_per_m2_day >= params["rent_min"])
    if params.get("rent_max") is not None:
        conditions.append(Unit.rent_per_m2_day <= params["rent_max"])
    if params.get("area_min") is not None:
        conditions.append(Unit.area_m2 >= params["area_min"])
    if params.get("area_max") is not None:
        conditions.append(Unit.area_m2 <= params["area_max"])
    if params.get("decoration"):
        conditions.append(Unit.decoration == params["decoration"])
    return conditions


def unit_figures(building_ids: list[int], conditions: list) -> dict[int, tuple]:
    """Per building: cheapest rent, area range, count and last confirmation of matching units."""
    if not building_ids:
        return {}
    rows = db.session.execute(
        select(
            Unit.building_id,
            func.min(Unit.rent_per_m2_day),
            func.max(Unit.rent_per_m2_day),
            func.min(Unit.area_m2),
            func.max(Unit.area_m2),
            func.count(),  # no unit column: the probe index answers it all
            func.max(Unit.confirmed_at),
        )
        .where(Unit.building_id.in_(building_ids), *conditions)
        .group_by(Unit.building_id)
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def card(building: Building, figures: tuple | None, now: datetime) -> BuildingCard:
    min_rent, max_rent, min_area, max_area, units, confirmed = figures or (
        (None, None, None, None, 0, None)
    )
    return BuildingCard(
        building=building,
        min_rent=min_rent,
        max_rent=max_rent,
        min_area=min_area,
        max_area=max_area,
        units_available=units,
        stale=confirmed is not None and confirmed < now - STALE_AFTER,
    )


def resolve_places(params: dict) -> tuple[dict, dict[str, str]]:
    """Look up the named places of a search; unknown names become messages for their fields."""
    places: dict = {}
    errors: dict[str, str] = {}
    lookups = {
        "district": lambda v: find_place(v, (PlaceKind.DISTRICT, PlaceKind.CITY)),
        "town": lambda v: find_place(v, (PlaceKind.TOWN,)),
        "park": find_park,
        "origin": resolve_origin,
    }
    for name, lookup in lookups.items():
        field_name = "near" if name == "origin" else name
        value = params.get(field_name)
        if not value:
            continue
        found = _looked_up(name, value, lookup)
        if found is None:
            errors[field_name] = f"找不到地点“{value}”，请换一个名称或输入“纬度,经度”。"
        elif name == "district" and found.kind == PlaceKind.CITY:
            # The site's own city (绍兴, 绍兴市) is all of it: no district to filter by.
            if not found.in_region:
                errors[name] = f"“{value}”不在本站范围，本站收录绍兴市各区县的写字楼。"
        else:
            places[name] = found
    return places, errors


def _looked_up(name: str, value: str, lookup):
    """A place named in a search, looked up once per request: the suggestions of an empty result
    resolve the same names again for each way out (one town up to eight times)."""
    if not has_request_context():
        return lookup(value)
    known = g.setdefault("search_places", {})
    if (name, value) not in known:
        known[(name, value)] = lookup(value)
    return known[(name, value)]


def remember_place(name: str, place: Place) -> None:
    """Tell `resolve_places` what the field `name` given `place.name` means, in this request:
    the suggestions offer nearby towns they already hold."""
    if has_request_context():
        g.setdefault("search_places", {})[(name, place.name)] = place


# -- single buildings and small lists -------------------------------------------------------


def cards(buildings: list[Building], now: datetime | None = None) -> list[BuildingCard]:
    """Attach the public unit figures to each building with one grouped query."""
    now = now or utcnow()
    figures = unit_figures([b.id for b in buildings], unit_conditions({}, now))
    return [card(b, figures.get(b.id), now) for b in buildings]


def featured_buildings(limit: int = 8) -> list[BuildingCard]:
    """推荐楼盘: the buildings editors featured, then the freshest."""
    query = (
        published()
        .options(*CARD_LOADS)
        .order_by(Building.featured.desc(), Building.updated_at.desc(), Building.id.desc())
        .limit(limit)
    )
    return cards(list(db.session.scalars(query)))


def get_public_building(building_id: int) -> Building | None:
    return db.session.scalar(
        published()
        .where(Building.id == building_id)
        .options(
            joinedload(Building.town),
            joinedload(Building.district),
            joinedload(Building.park).joinedload(Park.place),
            selectinload(Building.units),
            selectinload(Building.photos),
        )
    )


def nearest_buildings(
    lat: float, lon: float, radius_km: float, exclude: int | None = None, limit: int = 6
) -> list[tuple[Building, float]]:
    """Published buildings within `radius_km` of a point, nearest first (in widening circles)."""
    found: list[Building] = []
    for radius in spatial.widening(radius_km):
        query = published().where(*spatial.within(lat, lon, radius)).options(*CARD_LOADS)
        if exclude is not None:
            query = query.where(Building.id != exclude)
        query = query.order_by(spatial.distance_sq(lat, lon), Building.id).limit(limit)
        found = list(db.session.scalars(query))
        if len(found) >= limit:
            break
    return [(b, km_between((lat, lon), (b.lat, b.lon))) for b in found]
