"""Ways out of an empty result: drop one filter, widen the radius, or try a nearby town."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.listings.forms import DEFAULT_RADIUS_KM, MAX_RADIUS_KM
from app.listings.search.execute import count
from app.listings.search.planner import plan
from app.listings.services import remember_place, resolve_places
from app.models import Place, PlaceKind

LOOSEN = [
    (("q",), "去掉关键词"),
    (("rent_min", "rent_max"), "不限租金"),
    (("area_min", "area_max"), "不限面积"),
    (("grade",), "不限等级"),
    (("decoration",), "不限装修"),
    (("deal",), "不限出租/出售"),
    (("park",), "不限园区"),
    (("town",), "不限镇街"),
]
# A way out only needs to show that it leads somewhere: counting a loosened search (a grade over
# the whole region, say) to COUNT_CAP would cost more than the rest of the page, and one that
# few buildings pass (a narrow rent band over the region) costs most of the page already at 100.
SUGGESTION_CAP = 20
MAX_SUGGESTIONS = 6


@dataclass
class Suggestion:
    label: str
    params: dict
    count: int
    capped: bool = False  # more than SUGGESTION_CAP: shown as "20+"


def count_for(params: dict, now: datetime) -> tuple[int, bool]:
    """How many buildings a search finds, counted up to SUGGESTION_CAP; (0, False) when one of
    its places is unknown."""
    places, errors = resolve_places(params)
    return (0, False) if errors else count(plan(params, places, now), cap=SUGGESTION_CAP)


def suggestions(params: dict, places: dict, now: datetime) -> list[Suggestion]:
    """Ways out of an empty result, each counted (up to SUGGESTION_CAP): the first
    MAX_SUGGESTIONS that lead somewhere."""
    found: list[Suggestion] = []
    for label, loosened in _ways_out(params, places):
        n, capped = count_for(loosened, now)
        if n:
            found.append(Suggestion(label, loosened, n, capped))
            if len(found) == MAX_SUGGESTIONS:
                break
    return found


def _ways_out(params: dict, places: dict):
    """(label, params) of each loosened search, in the order they are offered."""
    active = {k: v for k, v in params.items() if v not in (None, "") and k not in ("page", "sort")}
    for names, label in LOOSEN:
        if any(name in active for name in names):
            yield label, {k: v for k, v in active.items() if k not in names}
    if places.get("origin") is not None:
        radius = params.get("radius_km") or DEFAULT_RADIUS_KM
        if radius < MAX_RADIUS_KM:
            wider = {**active, "radius_km": min(MAX_RADIUS_KM, radius * 3)}
            yield f"扩大到 {wider['radius_km']:g} 公里", wider
    town: Place | None = places.get("town")
    if town is not None:
        for other in nearby_towns(town, limit=4):
            remember_place("town", other)
            yield f"看看附近的{other.name}", {**active, "town": other.name}


def nearby_towns(town: Place, limit: int = 3) -> list[Place]:
    """The towns nearest to `town` (their counts, not this list, tell which have buildings),
    ordered on a local flat projection (degrees of longitude shrunk by the cosine of the
    latitude): a region's towns are close enough for it, and it needs no great circle per town."""
    towns = db.session.scalars(
        select(Place).where(Place.kind == PlaceKind.TOWN, Place.id != town.id)
    ).all()
    squeeze = math.cos(math.radians(town.lat))  # a degree of longitude, in degrees of latitude
    towns = sorted(
        towns, key=lambda t: (t.lat - town.lat) ** 2 + ((t.lon - town.lon) * squeeze) ** 2
    )
    return towns[:limit]
