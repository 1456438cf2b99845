"""Queries and rules for buildings and units as tenants see them: the search and its figures."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.geo.distance import bounding_box, km_between
from app.listings import fulltext
from app.listings.forms import DEFAULT_RADIUS_KM, MAX_RADIUS_KM
from app.models import Building, BuildingStatus, Park, Place, PlaceKind, Unit, UnitStatus
from app.models.base import utcnow

STALE_AFTER = timedelta(days=30)  # shown as 待确认 and ranked below confirmed units
EXPIRED_AFTER = timedelta(days=90)  # out of the public search until the agent confirms
PER_PAGE = 20
MAP_LIMIT = 5000
LATLON = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,，]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
UNIT_FILTERS = ("deal", "rent_min", "rent_max", "area_min", "area_max", "decoration")


@dataclass
class BuildingCard:
    """A building with the figures a list shows: cheapest rent, area range, units available."""

    building: Building
    min_rent: float | None
    min_area: float | None
    max_area: float | None
    units_available: int
    last_confirmed: datetime | None = None
    distance_km: float | None = None
    stale: bool = False


@dataclass
class Origin:
    """The point a `near` search measures from."""

    label: str
    lat: float
    lon: float


@dataclass
class Suggestion:
    label: str
    params: dict
    count: int


@dataclass
class SearchResult:
    cards: list[BuildingCard]
    total: int
    page: int
    pages: int
    per_page: int
    origin: Origin | None = None
    radius_km: float | None = None
    errors: dict[str, str] = field(default_factory=dict)
    suggestions: list[Suggestion] = field(default_factory=list)
    map_rows: list[tuple] = field(default_factory=list)


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


# -- the search -----------------------------------------------------------------------------


def _unit_figures(params: dict, now: datetime):
    """Per building: the figures of the units that are public and match the unit filters."""
    conditions = [Unit.status == UnitStatus.AVAILABLE, Unit.confirmed_at >= now - EXPIRED_AFTER]
    deal = params.get("deal")
    if params.get("rent_min") is not None or params.get("rent_max") is not None:
        deal = deal or "rent"
    if deal:
        conditions.append(Unit.deal == deal)
    for name, column, op in (
        ("rent_min", Unit.rent_per_m2_day, "ge"),
        ("rent_max", Unit.rent_per_m2_day, "le"),
        ("area_min", Unit.area_m2, "ge"),
        ("area_max", Unit.area_m2, "le"),
    ):
        value = params.get(name)
        if value is not None:
            conditions.append(column >= value if op == "ge" else column <= value)
    if params.get("decoration"):
        conditions.append(Unit.decoration == params["decoration"])
    return (
        select(
            Unit.building_id.label("building_id"),
            func.min(Unit.rent_per_m2_day).label("min_rent"),
            func.min(Unit.area_m2).label("min_area"),
            func.max(Unit.area_m2).label("max_area"),
            func.count(Unit.id).label("units"),
            func.max(Unit.confirmed_at).label("confirmed"),
        )
        .where(*conditions)
        .group_by(Unit.building_id)
        .subquery("figures")
    )


def _base_query(params: dict, places: dict, now: datetime):
    figures = _unit_figures(params, now)
    unit_filtered = any(params.get(name) not in (None, "") for name in UNIT_FILTERS)
    query = select(
        Building.id,
        Building.name,
        Building.lat,
        Building.lon,
        figures.c.min_rent,
        figures.c.min_area,
        figures.c.max_area,
        figures.c.units,
        figures.c.confirmed,
    ).where(Building.status == BuildingStatus.PUBLISHED)
    if unit_filtered:
        query = query.join(figures, figures.c.building_id == Building.id)
    else:
        query = query.outerjoin(figures, figures.c.building_id == Building.id)
    if places.get("district") is not None:
        query = query.where(Building.district_id == places["district"].id)
    if places.get("town") is not None:
        query = query.where(Building.town_id == places["town"].id)
    if places.get("park") is not None:
        query = query.where(Building.park_id == places["park"].id)
    if params.get("grade"):
        query = query.where(Building.grade == params["grade"])
    if params.get("q"):
        ids = fulltext.matching_ids(db.session, params["q"])
        if ids is not None:
            query = query.where(Building.id.in_(ids))
    origin: Origin | None = places.get("origin")
    if origin is not None:
        min_lat, max_lat, min_lon, max_lon = bounding_box(
            origin.lat, origin.lon, params.get("radius_km") or DEFAULT_RADIUS_KM
        )
        query = query.where(
            Building.lat.between(min_lat, max_lat), Building.lon.between(min_lon, max_lon)
        )
    return query, figures


def _order(query, figures, sort: str, now: datetime):
    fresh = figures.c.confirmed >= now - STALE_AFTER
    orders = {
        "rent_asc": [figures.c.min_rent.is_(None), figures.c.min_rent.asc()],
        "rent_desc": [figures.c.min_rent.is_(None), figures.c.min_rent.desc()],
        "area_asc": [figures.c.min_area.is_(None), figures.c.min_area.asc()],
        "area_desc": [figures.c.max_area.is_(None), figures.c.max_area.desc()],
        "newest": [Building.created_at.desc()],
    }
    default = [
        func.coalesce(fresh, False).desc(),
        Building.featured.desc(),
        Building.updated_at.desc(),
    ]
    return query.order_by(*orders.get(sort, default), Building.id.desc())


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
        value = params.get("near" if name == "origin" else name)
        if not value:
            continue
        found = lookup(value)
        if found is None:
            field_name = "near" if name == "origin" else name
            errors[field_name] = f"找不到地点“{value}”，请换一个名称或输入“纬度,经度”。"
        elif name == "district" and found.kind == PlaceKind.CITY:
            errors[name] = f"“{value}”是城市，请选择其下的区县。"
        else:
            places[name] = found
    return places, errors


def _rows(params: dict, places: dict, now: datetime) -> list[tuple]:
    """The matching rows in order, with distances when measuring from a point."""
    query, figures = _base_query(params, places, now)
    origin: Origin | None = places.get("origin")
    if origin is None:
        return []
    radius = params.get("radius_km") or DEFAULT_RADIUS_KM
    rows = []
    for row in db.session.execute(_order(query, figures, params.get("sort") or "", now)):
        if row.lat is None:
            continue
        distance = km_between((origin.lat, origin.lon), (row.lat, row.lon))
        if distance <= radius:
            rows.append((row, distance))
    if params.get("sort") in ("", None, "distance"):
        rows.sort(key=lambda pair: pair[1])
    return rows


def search(params: dict, now: datetime | None = None, per_page: int = PER_PAGE) -> SearchResult:
    """Find the published buildings matching `params` (already validated plain values)."""
    now = now or utcnow()
    places, errors = resolve_places(params)
    origin = places.get("origin")
    page = params.get("page") or 1

    if origin is not None:
        rows = _rows(params, places, now)
        total = len(rows)
        pages = max(1, math.ceil(total / per_page))
        if page > pages:
            errors["page"] = f"第 {page} 页超出范围，共 {pages} 页。"
            page = pages
        window = rows[(page - 1) * per_page : page * per_page]
        page_rows = [row for row, _ in window]
        distances = {row.id: distance for row, distance in window}
        map_rows = [(r.id, r.name, r.lat, r.lon, r.min_rent) for r, _ in rows[:MAP_LIMIT]]
    else:
        query, figures = _base_query(params, places, now)
        total = db.session.scalar(select(func.count()).select_from(query.subquery()))
        pages = max(1, math.ceil(total / per_page))
        if page > pages:
            errors["page"] = f"第 {page} 页超出范围，共 {pages} 页。"
            page = pages
        ordered = _order(query, figures, params.get("sort") or "", now)
        page_rows = db.session.execute(ordered.limit(per_page).offset((page - 1) * per_page)).all()
        distances = {}
        map_rows = [
            (r.id, r.name, r.lat, r.lon, r.min_rent)
            for r in db.session.execute(ordered.limit(MAP_LIMIT))
            if r.lat is not None
        ]

    result = SearchResult(
        cards=_cards(page_rows, distances, now),
        total=total,
        page=page,
        pages=pages,
        per_page=per_page,
        origin=origin,
        radius_km=(params.get("radius_km") or DEFAULT_RADIUS_KM) if origin else None,
        errors=errors,
        map_rows=map_rows,
    )
    if total == 0:
        result.suggestions = suggestions(params, places, now)
    return result


def _cards(rows, distances: dict[int, float], now: datetime) -> list[BuildingCard]:
    ids = [row.id for row in rows]
    buildings = {
        b.id: b
        for b in db.session.scalars(
            select(Building)
            .where(Building.id.in_(ids))
            .options(
                joinedload(Building.town),
                joinedload(Building.district),
                joinedload(Building.park).joinedload(Park.place),
            )
        )
    }
    return [
        BuildingCard(
            building=buildings[row.id],
            min_rent=row.min_rent,
            min_area=row.min_area,
            max_area=row.max_area,
            units_available=row.units or 0,
            last_confirmed=row.confirmed,
            distance_km=distances.get(row.id),
            stale=row.confirmed is not None and row.confirmed < now - STALE_AFTER,
        )
        for row in rows
        if row.id in buildings
    ]


# -- when nothing matches -------------------------------------------------------------------

LOOSEN = [
    ("q", ("q",), "去掉关键词"),
    ("rent", ("rent_min", "rent_max"), "不限租金"),
    ("area", ("area_min", "area_max"), "不限面积"),
    ("grade", ("grade",), "不限等级"),
    ("decoration", ("decoration",), "不限装修"),
    ("deal", ("deal",), "不限出租/出售"),
    ("park", ("park",), "不限园区"),
    ("town", ("town",), "不限镇街"),
]


def count(params: dict, now: datetime | None = None) -> int:
    now = now or utcnow()
    places, errors = resolve_places(params)
    if errors:
        return 0
    if places.get("origin") is not None:
        return len(_rows(params, places, now))
    query, _ = _base_query(params, places, now)
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def suggestions(params: dict, places: dict, now: datetime) -> list[Suggestion]:
    """Ways out of an empty result: drop one filter, widen the radius, or try nearby towns."""
    active = {k: v for k, v in params.items() if v not in (None, "") and k not in ("page", "sort")}
    found: list[Suggestion] = []
    for _key, names, label in LOOSEN:
        if not any(name in active for name in names):
            continue
        loosened = {k: v for k, v in active.items() if k not in names}
        n = count(loosened, now)
        if n:
            found.append(Suggestion(label, loosened, n))
    if places.get("origin") is not None:
        radius = params.get("radius_km") or DEFAULT_RADIUS_KM
        if radius < MAX_RADIUS_KM:
            wider = {**active, "radius_km": min(MAX_RADIUS_KM, radius * 3)}
            n = count(wider, now)
            if n:
                found.append(Suggestion(f"扩大到 {wider['radius_km']:g} 公里", wider, n))
    town: Place | None = places.get("town")
    if town is not None:
        for other in nearby_towns(town, limit=3):
            moved = {**active, "town": other.name}
            n = count(moved, now)
            if n:
                found.append(Suggestion(f"看看附近的{other.name}", moved, n))
    return found[:6]


def nearby_towns(town: Place, limit: int = 3) -> list[Place]:
    """Other towns with published buildings, nearest first."""
    with_buildings = select(Building.town_id).where(Building.status == BuildingStatus.PUBLISHED)
    towns = db.session.scalars(
        select(Place).where(
            Place.kind == PlaceKind.TOWN, Place.id != town.id, Place.id.in_(with_buildings)
        )
    ).all()
    towns = sorted(towns, key=lambda t: km_between((town.lat, town.lon), (t.lat, t.lon)))
    return towns[:limit]


# -- single buildings and small lists -------------------------------------------------------


def cards(buildings: list[Building], now: datetime | None = None) -> list[BuildingCard]:
    """Attach the public unit figures to each building with one grouped query."""
    now = now or utcnow()
    ids = [b.id for b in buildings]
    if not ids:
        return []
    figures = _unit_figures({}, now)
    rows = {
        row.building_id: row
        for row in db.session.execute(select(figures).where(figures.c.building_id.in_(ids)))
    }
    result = []
    for b in buildings:
        row = rows.get(b.id)
        result.append(
            BuildingCard(
                building=b,
                min_rent=row.min_rent if row else None,
                min_area=row.min_area if row else None,
                max_area=row.max_area if row else None,
                units_available=row.units if row else 0,
                last_confirmed=row.confirmed if row else None,
                stale=bool(row and row.confirmed < now - STALE_AFTER),
            )
        )
    return result


def recommended_buildings(limit: int = 8) -> list[BuildingCard]:
    """推荐楼盘: the buildings editors featured, then the freshest."""
    query = (
        published()
        .options(joinedload(Building.town), joinedload(Building.district))
        .order_by(Building.featured.desc(), Building.updated_at.desc(), Building.id.desc())
        .limit(limit)
    )
    return cards(list(db.session.scalars(query)))


def get_public_building(building_id: int) -> Building | None:
    return db.session.scalar(
        published()
        .where(Building.id == building_id)
        .options(selectinload(Building.units), selectinload(Building.photos))
    )


def buildings_near(
    lat: float, lon: float, radius_km: float, exclude: int | None = None, limit: int = 6
) -> list[tuple[Building, float]]:
    """Published buildings within `radius_km` of a point, nearest first."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius_km)
    query = published().where(
        Building.lat.between(min_lat, max_lat), Building.lon.between(min_lon, max_lon)
    )
    if exclude is not None:
        query = query.where(Building.id != exclude)
    found = [(b, km_between((lat, lon), (b.lat, b.lon))) for b in db.session.scalars(query)]
    found = sorted((pair for pair in found if pair[1] <= radius_km), key=lambda pair: pair[1])
    return found[:limit]
