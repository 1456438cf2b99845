"""A /listings/ query as a saved search keeps it: the query, its conditions resolved into the
columns a changed unit is tested against, a summary in words, and that test for one unit.

The conditions mean what the search means (app.listings.search): a named district, town or park
is the building's; rent bounds imply 出租; rent and area bounds are inclusive; a `near` place
draws a circle of `radius_km` (DEFAULT_RADIUS_KM when none is given) measured as the search
measures it (app.listings.spatial.distance_sq); only public units count (available, confirmed
within EXPIRED_AFTER, in a published building).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from app.filters import number
from app.listings.forms import DEFAULT_RADIUS_KM, MAX_RADIUS_KM
from app.listings.fulltext import query_terms
from app.listings.services import EXPIRED_AFTER
from app.listings.spatial import KM_PER_DEGREE_LAT, KM_PER_DEGREE_LON_EQUATOR
from app.models.listings import DEALS

# The /listings/ parameters a saved search keeps: `page` and `sort` say how to show the
# results, not which ones they are.
SEARCH_FIELDS = (
    "q",
    "district",
    "town",
    "park",
    "deal",
    "rent_min",
    "rent_max",
    "area_min",
    "area_max",
    "grade",
    "decoration",
    "near",
    "radius_km",
)
NAME_MAX = 40  # SavedSearch.name


@dataclass(frozen=True)
class Conditions:
    """The columns of SavedSearch that say which units match (None: no condition)."""

    place_key: str  # "", "d:<place id>", "t:<place id>" or "p:<park id>": the most specific
    district_id: int | None = None
    town_id: int | None = None
    park_id: int | None = None
    deal: str | None = None
    rent_min: float | None = None
    rent_max: float | None = None
    area_min: float | None = None
    area_max: float | None = None
    grade: str | None = None
    decoration: str | None = None
    keyword: str | None = None
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None

    def columns(self) -> dict:
        return dict(self.__dict__)


def query_of(params: dict) -> dict:
    """The part of validated search values a saved search keeps: its fields with a value."""
    return {name: params[name] for name in SEARCH_FIELDS if params.get(name) not in (None, "")}


def resolve(query: dict, places: dict) -> Conditions:
    """The conditions of a saved query, given the places `resolve_places` found for it."""
    district, town, park = places.get("district"), places.get("town"), places.get("park")
    if park is not None:
        place_key = f"p:{park.id}"
    elif town is not None:
        place_key = f"t:{town.id}"
    elif district is not None:
        place_key = f"d:{district.id}"
    else:
        place_key = ""
    deal = query.get("deal") or None
    if query.get("rent_min") is not None or query.get("rent_max") is not None:
        deal = deal or "rent"  # as app.listings.services.unit_conditions infers it
    origin = places.get("origin")
    radius = None
    if origin is not None:
        radius = min(query.get("radius_km") or DEFAULT_RADIUS_KM, MAX_RADIUS_KM)
    # A keyword made only of words every building answers to (写字楼) filters nothing.
    keyword = query.get("q") if query.get("q") and query_terms(query["q"]) else None
    return Conditions(
        place_key=place_key,
        district_id=district.id if district is not None else None,
        town_id=town.id if town is not None else None,
        park_id=park.id if park is not None else None,
        deal=deal,
        rent_min=query.get("rent_min"),
        rent_max=query.get("rent_max"),
        area_min=query.get("area_min"),
        area_max=query.get("area_max"),
        grade=query.get("grade") or None,
        decoration=query.get("decoration") or None,
        keyword=keyword,
        lat=origin.lat if origin is not None else None,
        lon=origin.lon if origin is not None else None,
        radius_km=radius,
    )


def _bounds(low: float | None, high: float | None, unit: str) -> str:
    if low is not None and high is not None:
        return f"{number(low)}–{number(high)} {unit}"
    if low is not None:
        return f"≥{number(low)} {unit}"
    return f"≤{number(high)} {unit}"


def summary(query: dict) -> str:
    """The conditions in words, as a list shows them: 诸暨市 · 出租 · 1–2 元/㎡/天 · 100–300 ㎡."""
    parts = [query[name] for name in ("district", "town", "park") if query.get(name)]
    if query.get("deal"):
        parts.append(DEALS.get(query["deal"], query["deal"]))
    if query.get("rent_min") is not None or query.get("rent_max") is not None:
        parts.append(_bounds(query.get("rent_min"), query.get("rent_max"), "元/㎡/天"))
    if query.get("area_min") is not None or query.get("area_max") is not None:
        parts.append(_bounds(query.get("area_min"), query.get("area_max"), "㎡"))
    parts += [query[name] for name in ("grade", "decoration") if query.get(name)]
    if query.get("q"):
        parts.append(f"关键词“{query['q']}”")
    if query.get("near"):
        radius = min(query.get("radius_km") or DEFAULT_RADIUS_KM, MAX_RADIUS_KM)
        parts.append(f"距{query['near']} {number(radius, 1)} km 内")
    return " · ".join(str(p) for p in parts) or "全部楼盘"


def default_name(query: dict) -> str:
    """A name for a new saved search: its summary, cut to fit."""
    text = summary(query)
    return text if len(text) <= NAME_MAX else text[: NAME_MAX - 1] + "…"


def link_args(query: dict) -> dict[str, str]:
    """The query as /listings/ arguments (numbers without a trailing .0), to reopen it."""
    return {
        name: number(value, 6).replace(",", "") if isinstance(value, float) else str(value)
        for name, value in query.items()
    }


# -- one unit against the conditions ---------------------------------------------------------


@dataclass(frozen=True)
class UnitState:
    """What the conditions test of a unit and its building, at one moment."""

    status: str
    confirmed_at: datetime | None
    deal: str
    area_m2: float
    rent_per_m2_day: float | None
    price_per_m2: float | None
    decoration: str | None
    building_status: str
    grade: str | None
    district_id: int | None
    town_id: int | None
    park_id: int | None
    lat: float | None
    lon: float | None

    def public(self, now: datetime) -> bool:
        """What a tenant can find: available, confirmed within EXPIRED_AFTER, published."""
        return (
            self.status == "available"
            and self.building_status == "published"
            and self.confirmed_at is not None
            and self.confirmed_at >= now - EXPIRED_AFTER
        )

    @property
    def price(self) -> float | None:
        """What a drop is measured on: the rent (元/㎡/天) or the sale price (元/㎡)."""
        return self.rent_per_m2_day if self.deal == "rent" else self.price_per_m2

    def place_keys(self) -> list[str]:
        """The place keys of saved searches this unit's building can match (the region's too)."""
        keys = [""]
        keys += [f"d:{self.district_id}"] if self.district_id is not None else []
        keys += [f"t:{self.town_id}"] if self.town_id is not None else []
        keys += [f"p:{self.park_id}"] if self.park_id is not None else []
        return keys


def within(lat: float, lon: float, radius_km: float, point_lat, point_lon) -> bool:
    """Whether a point lies in the circle, measured as the search measures it: on a flat
    projection around the circle's centre (app.listings.spatial.distance_sq)."""
    if point_lat is None or point_lon is None:
        return False
    dx = (point_lon - lon) * KM_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(lat))
    dy = (point_lat - lat) * KM_PER_DEGREE_LAT
    return dx * dx + dy * dy <= radius_km * radius_km


def _in_range(value: float | None, low: float | None, high: float | None) -> bool:
    if low is None and high is None:
        return True
    if value is None:
        return False  # SQL's NULL: a unit without the figure fails a bound on it
    return (low is None or value >= low) and (high is None or value <= high)


def matches_columns(search, unit: UnitState) -> bool:
    """Whether `unit` meets every condition of `search` held in columns (a SavedSearch or a row
    with its attributes), the place, the ranges and the distance; not the keyword, which is
    tested on the building's indexed text (app.alerts.matching)."""
    places_ok = (
        (search.district_id is None or search.district_id == unit.district_id)
        and (search.town_id is None or search.town_id == unit.town_id)
        and (search.park_id is None or search.park_id == unit.park_id)
    )
    return (
        places_ok
        and (search.deal is None or search.deal == unit.deal)
        and _in_range(unit.rent_per_m2_day, search.rent_min, search.rent_max)
        and _in_range(unit.area_m2, search.area_min, search.area_max)
        and (search.grade is None or search.grade == unit.grade)
        and (search.decoration is None or search.decoration == unit.decoration)
        and (
            search.lat is None
            or within(search.lat, search.lon, search.radius_km, unit.lat, unit.lon)
        )
    )
