"""From a point to the places it lies in: its district, its town and its park, by boundaries.

A point's district is the district whose boundary holds it; its town is the town whose boundary
holds it where one is known, else the nearest town centre of that district; its park is the park
whose boundary holds it, or whose own record sets a radius the point lies within. No default
distance puts a building in a park. The prepared shapes are kept per process and database and
rebuilt when the gazetteer changes (app.geo.cache).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import joinedload, load_only

from app.config import PARK_CHOICE_KM
from app.extensions import db
from app.geo import cache as gazetteer_cache
from app.geo.cache import GazetteerCache
from app.geo.distance import EARTH_RADIUS_KM
from app.models import Building, Park, Place, PlaceKind


@dataclass
class Located:
    town: Place | None
    district: Place | None
    park: Park | None


@dataclass(frozen=True)
class _Area:
    """What placing a point needs of a place or park, detached from any session."""

    id: int
    lat: float
    lon: float
    shape: BaseGeometry | None  # prepared; None where the gazetteer has no boundary
    bounds: tuple[float, float, float, float] | None
    size: float = 0.0  # the boundary's area in square degrees: the smaller, the more specific
    district_id: int | None = None  # a town's district
    in_region: bool = True
    radius_km: float | None = None  # a park's own radius

    def holds(self, lat: float, lon: float) -> bool:
        if self.shape is None or self.bounds is None:
            return False
        x0, y0, x1, y1 = self.bounds
        return x0 <= lon <= x1 and y0 <= lat <= y1 and shapely.contains_xy(self.shape, lon, lat)

    def km_to(self, lat: float, lon: float) -> float:
        """Haversine on the same sphere as app.geo.distance, without geopy's objects: an
        import places each row against every town of its district and every park."""
        p1, p2 = math.radians(lat), math.radians(self.lat)
        dp, dl = p2 - p1, math.radians(self.lon - lon)
        h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass
class _Shapes:
    districts: list[_Area]
    towns: list[_Area]
    parks: list[_Area]
    by_district: dict[int | None, list[_Area]] = field(default_factory=dict)  # towns

    def __post_init__(self) -> None:
        for town in self.towns:
            self.by_district.setdefault(town.district_id, []).append(town)


def _prepared(boundary: dict | None) -> BaseGeometry | None:
    if not boundary:
        return None
    try:
        geometry = shape(boundary)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None  # a malformed boundary places nothing rather than breaking a save
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    if geometry.is_empty:
        return None
    shapely.prepare(geometry)
    # GEOS builds a prepared polygon's index lazily on its first test, which is not safe in two
    # threads at once; the first test happens here, under the cache's lock.
    shapely.contains_xy(geometry, *geometry.bounds[:2])
    return geometry


def _area(place: Place, **extra) -> _Area:
    geometry = _prepared(place.boundary)
    return _Area(
        id=place.id,
        lat=place.lat,
        lon=place.lon,
        shape=geometry,
        bounds=geometry.bounds if geometry is not None else None,
        size=geometry.area if geometry is not None else 0.0,
        **extra,
    )


def _build() -> _Shapes:
    kinds = (str(PlaceKind.DISTRICT), str(PlaceKind.TOWN))
    places = db.session.scalars(select(Place).where(Place.kind.in_(kinds))).all()
    by_id = {p.id: p for p in places}

    def district_of(town: Place) -> int | None:
        parent = by_id.get(town.parent_id) if town.parent_id else None
        while parent is not None and parent.kind != PlaceKind.DISTRICT:
            parent = by_id.get(parent.parent_id) if parent.parent_id else None
        return parent.id if parent is not None else None

    districts = [
        _area(p, in_region=bool(p.in_region)) for p in places if p.kind == PlaceKind.DISTRICT
    ]
    towns = [_area(p, district_id=district_of(p)) for p in places if p.kind == PlaceKind.TOWN]
    parks = db.session.scalars(select(Park).options(joinedload(Park.place))).all()
    park_areas = [replace(_area(p.place), id=p.id, radius_km=p.radius_km) for p in parks]
    return _Shapes(districts, towns, park_areas)


_SHAPES = GazetteerCache(_build)


def _shapes() -> _Shapes:
    return _SHAPES.get()


# ------------------------------------------------------------------ placing a point


def _district(shapes: _Shapes, lat: float, lon: float) -> _Area | None:
    """The district whose boundary holds the point. Where the point is in no known boundary and
    the nearest town centre belongs to a district the gazetteer has no boundary for, that
    district is taken, since its unknown outline may hold the point; a district whose outline
    is known and misses the point is never given it."""
    holding = [d for d in shapes.districts if d.holds(lat, lon)]
    if holding:
        return min(holding, key=lambda d: d.size)
    outlined = {d.id for d in shapes.districts if d.shape is not None}
    town = min(shapes.towns, key=lambda t: t.km_to(lat, lon), default=None)
    if town is None or town.district_id is None or town.district_id in outlined:
        return None
    return next((d for d in shapes.districts if d.id == town.district_id), None)


def _town(shapes: _Shapes, district: _Area | None, lat: float, lon: float) -> _Area | None:
    if district is None:
        return None
    towns = shapes.by_district.get(district.id, [])
    holding = [t for t in towns if t.holds(lat, lon)]
    if holding:
        return min(holding, key=lambda t: t.size)
    return min(towns, key=lambda t: t.km_to(lat, lon), default=None)


def _claims(park: _Area, lat: float, lon: float) -> bool:
    """A park holds a point inside its boundary, or within the radius its own record sets."""
    if park.holds(lat, lon):
        return True
    return park.radius_km is not None and park.km_to(lat, lon) <= park.radius_km


def _park(shapes: _Shapes, lat: float, lon: float) -> _Area | None:
    inside = [p for p in shapes.parks if p.holds(lat, lon)]
    if inside:
        # Small parks sit inside large zones; the smallest boundary is the most specific.
        return min(inside, key=lambda p: p.size)
    near = [p for p in shapes.parks if _claims(p, lat, lon)]
    return min(near, key=lambda p: p.km_to(lat, lon), default=None)


def _valid(lat: float | None, lon: float | None) -> bool:
    return lat is not None and lon is not None and math.isfinite(lat) and math.isfinite(lon)


def locate(lat: float, lon: float) -> Located:
    """The town, district and park of a WGS-84 point; None where no known place holds it."""
    if not _valid(lat, lon):
        return Located(None, None, None)
    shapes = _shapes()
    district = _district(shapes, lat, lon)
    town = _town(shapes, district, lat, lon)
    park = _park(shapes, lat, lon)
    get = db.session.get
    return Located(
        town=get(Place, town.id) if town else None,
        district=get(Place, district.id) if district else None,
        park=get(Park, park.id) if park else None,
    )


# ------------------------------------------------------------------ what an agent may choose


def towns_for(district: Place | None) -> list[Place]:
    """The towns an agent may choose for a point in `district`: that district's own."""
    if district is None:
        return []
    ids = {t.id for t in _shapes().by_district.get(district.id, [])}
    if not ids:
        return []
    query = select(Place).where(Place.id.in_(ids)).order_by(Place.code, Place.name)
    return list(db.session.scalars(query))


def _park_ids_near(shapes: _Shapes, lat: float, lon: float) -> list[int]:
    found = [
        (p.km_to(lat, lon), p.id)
        for p in shapes.parks
        if _claims(p, lat, lon) or p.km_to(lat, lon) <= PARK_CHOICE_KM
    ]
    return [park_id for _km, park_id in sorted(found)]


def parks_near(lat: float, lon: float) -> list[Park]:
    """The parks an agent may choose for a point: those that hold it, and those whose centre
    lies within PARK_CHOICE_KM (or the park's own radius), nearest first."""
    if not _valid(lat, lon):
        return []
    return [db.session.get(Park, i) for i in _park_ids_near(_shapes(), lat, lon)]


def town_plausible(town_id: int, district_id: int | None) -> bool:
    """A town may be chosen for a point in its own district only."""
    return district_id is not None and any(
        t.id == town_id and t.district_id == district_id for t in _shapes().towns
    )


def park_plausible(park_id: int, lat: float, lon: float) -> bool:
    return _valid(lat, lon) and park_id in _park_ids_near(_shapes(), lat, lon)


# ------------------------------------------------------------------ placing buildings


def place(building: Building, found: Located | None = None) -> list[str]:
    """Give a building with a point its district, town and park. A town or park the agent fixed
    is kept while it is still plausible for the point (a fixed None, "none of the gazetteer's",
    is kept too); one that is not is dropped, and the returned Chinese notes say so."""
    lat, lon = building.lat, building.lon
    if not _valid(lat, lon):
        return []
    found = found or locate(lat, lon)
    district_id = found.district.id if found.district else None
    notes: list[str] = []
    building.district = found.district
    town = building.town if building.town_fixed else None
    if not building.town_fixed or (town is not None and not town_plausible(town.id, district_id)):
        if town is not None:
            where = found.district.name if found.district else "已知区县之外"
            notes.append(
                f"位置已移至{where}，原先指定的镇街“{town.name}”不在该区县内，"
                "已改为按位置自动识别。"
            )
        building.town, building.town_fixed = found.town, False
    park = building.park if building.park_fixed else None
    if not building.park_fixed or (park is not None and not park_plausible(park.id, lat, lon)):
        if park is not None:
            notes.append(f"位置已远离原先指定的园区“{park.name}”，已改为按位置自动识别。")
        building.park, building.park_fixed = found.park, False
    return notes


def _ids(building: Building) -> tuple:
    return tuple(getattr(x, "id", None) for x in (building.district, building.town, building.park))


def place_all_buildings() -> int:
    """Place every building that has a point again (district, town, park), keeping a town or
    park an agent fixed while still plausible; returns how many buildings changed place. The
    caller commits (`flask places load` after loading boundaries)."""
    gazetteer_cache.invalidate()  # a bulk load may have written places without ORM events
    query = (
        select(Building)
        .where(Building.lat.is_not(None), Building.lon.is_not(None))
        .options(
            load_only(
                Building.id,
                Building.lat,
                Building.lon,
                Building.town_id,
                Building.district_id,
                Building.park_id,
                Building.town_fixed,
                Building.park_fixed,
            )
        )
        .order_by(Building.id)
    )
    changed = 0
    for building in db.session.scalars(query):
        before = (building.district_id, building.town_id, building.park_id)
        place(building)
        changed += before != _ids(building)
    db.session.flush()
    return changed
