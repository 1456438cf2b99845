"""The listing search: filters, keyword, distance, ordering, paging and counts that stop early.

Every query is driven by an index and a LIMIT: the result page, the count (capped at
COUNT_CAP, shown as "1000+") and the map rows. Unit filters are an EXISTS probe per building;
sorting by rent or area walks the unit index in order and keeps each building's first unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ARRAY, Integer, Select, any_, exists, func, literal, select

from app.extensions import db
from app.geo.distance import km_between
from app.listings import facets, fulltext, spatial
from app.listings.forms import DEFAULT_RADIUS_KM, MAX_RADIUS_KM
from app.listings.services import (
    CARD_LOADS,
    PER_PAGE,
    BuildingCard,
    Origin,
    card,
    remember_place,
    resolve_places,
    unit_conditions,
    unit_figures,
)
from app.models import Building, BuildingStatus, Place, PlaceKind, Unit
from app.models.base import plain_rows, utcnow
from app.models.listings import PLACE_RANK_OFFSET

COUNT_CAP = 1000
PAGE_MAP_LIMIT = 2000  # markers drawn on the results page
API_MAP_LIMIT = 10000  # features in /api/listings
PLACE_COLUMNS = (
    ("district", Building.district_id),
    ("town", Building.town_id),
    ("park", Building.park_id),
)
UNIT_FILTERS = ("deal", "rent_min", "rent_max", "area_min", "area_max", "decoration")
UNIT_SORTS = {
    "rent_asc": (Unit.rent_per_m2_day, False),
    "rent_desc": (Unit.rent_per_m2_day, True),
    "area_asc": (Unit.area_m2, False),
    "area_desc": (Unit.area_m2, True),
}


@dataclass
class Suggestion:
    label: str
    params: dict
    count: int
    capped: bool = False  # more than SUGGESTION_CAP: shown as "20+"


@dataclass
class SearchResult:
    cards: list[BuildingCard]
    total: int
    page: int
    pages: int
    per_page: int
    capped: bool = False
    origin: Origin | None = None
    radius_km: float | None = None
    errors: dict[str, str] = field(default_factory=dict)
    suggestions: list[Suggestion] = field(default_factory=list)
    map_rows: list[tuple] = field(default_factory=list)


@dataclass
class Plan:
    """A search turned into SQL pieces."""

    params: dict
    places: dict
    now: datetime
    building_conditions: list  # on the building's own columns
    unit_conditions: list  # on its units (always: public ones only)
    unit_filtered: bool  # whether a building needs a matching unit to qualify
    origin: Origin | None
    radius_km: float
    dense: bool = False  # the keyword is common: matches are best found walking the ranking
    rare: bool = False  # the keyword is not: its matches are a list of ids (fulltext.COMMON)
    keyword: object = None  # the keyword's condition among building_conditions, if any
    walking: list = field(default_factory=list)  # building_conditions for `ranking_walk`
    circle: list = field(default_factory=list)  # the distance conditions among them

    @property
    def where(self) -> list:
        """Every condition a matching building meets, the unit probe included."""
        if not self.unit_filtered:
            return self.building_conditions
        # Only columns of the unit index (ix_unit_building_status): a probe reads no unit row.
        probe = select(Unit.building_id).where(
            Unit.building_id == Building.id, *self.unit_conditions
        )
        if db.session.get_bind().dialect.name == "postgresql":
            # OFFSET 0 keeps the probe a lookup per building, in the unit index by building:
            # as a semi-join PostgreSQL hashed every unit matching the filters in the region,
            # reading the whole unit table (84 ms for 越城区's 简装 units for sale, against
            # 15 ms probing the 2,400 buildings whose summary says they may have one).
            probe = probe.offset(0)
        return [*self.building_conditions, probe.exists()]

    def ranking_walk(self) -> list:
        """`where`, written for a walk along a ranking index on SQLite: the named town's or
        district's (`models.place_rank_index`), else the region's; the grade and any other
        place tested by no index. Otherwise SQLite would take every matching building of a
        district from its place index (or of the region from ix_building_facets, for a grade)
        and sort them, probing each one's units: 88 ms for a page of 诸暨市's 乙级 buildings
        with a 精装 unit, against 4 ms walking the ranking until the page is full."""
        if db.session.get_bind().dialect.name != "sqlite":
            return self.where
        return [*self.walking, *self.where[len(self.building_conditions) :]]  # and the probe

    @property
    def sort(self) -> str:
        sort = self.params.get("sort") or ""
        if self.origin is not None and sort == "":
            return "distance"
        return sort


def _keyword_condition(ids, common: bool):
    """Building ids among the keyword's matches, in the form SQLite's planner runs fastest.

    A rare word is best looked up building by building from its matches; a common one (地铁
    matches a fifth of a province) by walking the ranking index and testing membership, which
    `id + 0` (no index on an expression) tells SQLite to do.
    """
    if common and db.session.get_bind().dialect.name == "sqlite":
        return (Building.id + 0).in_(ids)
    return Building.id.in_(ids)


def _among(ids: list[int]):
    """Building.id in a list of ids; on PostgreSQL as one array parameter (two thousand
    parameters cost it 10 ms to plan)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return Building.id == any_(literal(ids, ARRAY(Integer)))
    return Building.id.in_(ids)


def _names_a_place(places: dict) -> bool:
    """Whether a search names a district, town or park (whose index then starts its scan)."""
    return any(places.get(name) is not None for name, _ in PLACE_COLUMNS)


def plan(params: dict, places: dict, now: datetime) -> Plan:
    conditions = [Building.status == BuildingStatus.PUBLISHED]
    unindexed = {}  # the place and grade tests, as the ranking walk writes them (Plan.walking)
    # The walk reads the smallest named place's ranking index (a town's, else a district's),
    # which answers its place test written as that index's expression (models.place_rank_index).
    ranked = next((n for n in ("town", "district") if places.get(n) is not None), None)
    for name, column in PLACE_COLUMNS:
        if places.get(name) is not None:
            test = column == places[name].id
            conditions.append(test)
            offset = PLACE_RANK_OFFSET if name == ranked else 0
            unindexed[id(test)] = (column + offset) == places[name].id
    if params.get("grade"):
        test = Building.grade == params["grade"]
        conditions.append(test)
        unindexed[id(test)] = (Building.grade + "") == params["grade"]
    # What a building's units offer (app.listings.facets) must meet the unit filters before
    # its units are read: most buildings of a district are passed over on its own columns.
    conditions.extend(facets.conditions(params))
    dense = rare = False
    keyword = None
    if params.get("q"):
        ids = fulltext.matching_ids(db.session, params["q"])
        if ids is not None:
            dense = fulltext.is_common(db.session, params["q"])
            found = None if dense else fulltext.rare_ids(db.session, params["q"])
            rare = found is not None
            keyword = _among(found) if rare else _keyword_condition(ids, dense)
            conditions.append(keyword)
    origin: Origin | None = places.get("origin")
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    boxed = origin is not None and not _names_a_place(places) and sqlite  # led by the box's ids
    if rare or (boxed and params.get("grade")):
        # Look a rare keyword's few matches up by id: SQLite would rather walk the (covering)
        # status index over every published building, testing each against the list (20 ms
        # for 次坞 instead of 2). The box's ids are looked up in the grade's index by (grade,
        # id), which tests the grade before a building's row is read: given the status, SQLite
        # would rather read every building of the grade from ix_building_facets (status, grade)
        # and test each against the box (a 5 km search with a keyword and a grade: twice as
        # slow). The same test, written so that no index serves it.
        conditions[0] = (Building.status + "") == BuildingStatus.PUBLISHED
    radius = min(params.get("radius_km") or DEFAULT_RADIUS_KM, MAX_RADIUS_KM)
    circle = spatial.within(origin.lat, origin.lon, radius) if origin is not None else []
    conditions.extend(circle)
    units = unit_conditions(params, now)
    filtered = any(params.get(name) not in (None, "") for name in UNIT_FILTERS)
    sort = params.get("sort") or ""
    if sort in UNIT_SORTS:
        filtered = True
        units = [*units, UNIT_SORTS[sort][0].is_not(None)]
    walking = [unindexed.get(id(c), c) for c in conditions]
    return Plan(
        params, places, now, conditions, units, filtered, origin, radius, dense, rare, keyword,
        walking, circle,
    )  # fmt: skip


def _ordered_ids(p: Plan, offset: int, limit: int) -> list[int]:
    """The ids of one page of buildings, in the order the tenant asked for, by an index walk:
    for searches with more matches than COUNT_CAP (fewer are sorted by `_in_order`)."""
    if p.sort in UNIT_SORTS:
        return _ids_by_unit(p, offset, limit)
    if p.sort == "distance" and p.origin is not None:
        return _nearest_ids(p, offset, limit)
    if p.dense and db.session.get_bind().dialect.name == "postgresql":
        return _ranked_matches(p, offset, limit)
    query = select(Building.id).where(*p.ranking_walk()).order_by(*_ranking(p))
    return list(db.session.scalars(query.offset(offset).limit(limit)))


RANKED_BATCH = 200  # ranked buildings tested first, then twice as many each time
SPARSE = 20  # a common keyword matching fewer than 1 in 20 ranked buildings (PostgreSQL)
SPARSE_MATCHES = 10000  # ... has its matches fetched, when there are no more than these


def _ranked_matches(p: Plan, offset: int, limit: int) -> list[int]:
    """A common keyword's page on PostgreSQL: the ranking walked in growing batches, each batch's
    matches found in one lookup of their text.

    Given the page as one query, PostgreSQL misjudges how many buildings a phrase matches and
    walks the ranking with parallel workers reading one tsvector at a time (40-110 ms for 研发);
    a batch of 200 ranked ids holds a page of a word that one building in ten mentions.
    """
    wanted = offset + limit
    q = p.params["q"]
    others = [c for c in p.where if c is not p.keyword]
    ranked = select(Building.id).where(*others).order_by(*_ranking(p))
    found: list[int] = []
    start, batch = 0, RANKED_BATCH
    known: set[int] | None = None  # every match, once the keyword proves sparse
    while len(found) < wanted:
        ids = [i for (i,) in plain_rows(db.session, ranked.offset(start).limit(batch))]
        matching = known
        if matching is None:
            matching = fulltext.matching_among(db.session, q, ids)
            if len(matching) * SPARSE < len(ids):
                # Fewer than one ranked building in SPARSE matches (产业园: 3,172 of 100,000):
                # the walk would test hundreds of rows' text a page. The keyword's matches
                # come from its index alone, and the rest of the walk tests ids against them.
                every = fulltext.first_ids(db.session, q, SPARSE_MATCHES)
                known = set(every) if len(every) <= SPARSE_MATCHES else None
        found += [i for i in ids if i in matching]
        if len(ids) < batch:
            break
        start, batch = start + batch, batch * 2
    return found[offset:wanted]


def _ranking(p: Plan) -> list:
    """The ORDER BY of the sorts by building columns (distance has its own)."""
    if p.sort == "newest":
        return [Building.created_at.desc(), Building.id.desc()]
    # Featured first, then the most recently confirmed: stale listings sink on their own.
    return [Building.featured.desc(), Building.units_confirmed_at.desc(), Building.id.desc()]


def _nearest_ids(p: Plan, offset: int, limit: int) -> list[int]:
    """The page of a distance sort, asked in widening circles (`spatial.widening`): sorting
    every building of a 10 km circle to show the nearest twenty costs most of such a search."""
    lat, lon = p.origin.lat, p.origin.lon
    wanted = offset + limit
    ids: list[int] = []
    for radius in spatial.widening(p.radius_km):
        query = (
            _select(p, Building.id, radius=radius)
            .order_by(spatial.distance_sq(lat, lon), Building.id)
            .limit(wanted)
        )
        ids = list(db.session.scalars(query))
        if len(ids) >= wanted:
            break
    return ids[offset:wanted]


def _select(p: Plan, *columns, radius: float | None = None) -> Select:
    """SELECT `columns` of the buildings matching `p`; within `radius` km of its origin instead
    of its own radius, when given (a smaller circle, which lies in the search's own).

    A distance search on SQLite that tests no more than the buildings' own columns reads the
    circle's box from the R*Tree first, in a join (`spatial.index_first`), so that a LIMIT stops
    the scan early; as an IN list the box was gathered whole first (16 -> 3 ms for 10 km). A
    place, a keyword or unit filters keep the IN list: a place's index or a keyword's ids find
    fewer rows than the box, and a search that few buildings pass reads the whole box anyway,
    which goes faster in id order (the IN list's) than in the R*Tree's (30 against 52 ms for
    产业园 + rent + 简装 within 5 km).
    """
    if p.origin is None:
        return select(*columns).where(*p.where)
    lat, lon = p.origin.lat, p.origin.lon
    radius = p.radius_km if radius is None else radius
    circle = p.circle if radius == p.radius_km else spatial.within(lat, lon, radius)
    others = [c for c in p.where if not any(c is test for test in p.circle)]
    _box, disc = circle
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    if p.rare and sqlite:
        # A rare keyword's ids lead: each building is read by id and tested against the box and
        # the circle on its own row. Given the R*Tree's box, SQLite looked up the box's thousands
        # of ids instead and tested each against the keyword's list (39 matches in a 5 km box:
        # 18 -> 0.3 ms). The box stays a test: the circle's flat-earth cut alone reaches a
        # little past it to the north and south.
        box = spatial.inside_box(lat, lon, radius)
        return select(*columns).where(*others, box, disc)
    selective = _names_a_place(p.places) or p.keyword is not None or p.unit_filtered
    if sqlite and not selective:
        # the box comes from the R*Tree in the join
        return spatial.index_first(select(*columns), lat, lon, radius).where(*others, disc)
    return select(*columns).where(*others, *circle)


def _first_matches(p: Plan) -> tuple[list[tuple], bool] | None:
    """Up to COUNT_CAP + 1 matches with their sort keys, found in one scan, and whether the
    count is capped; None for the sorts by a unit's rent or area, which need the units (and a
    common keyword on PostgreSQL).

    When they are no more than COUNT_CAP, this one scan is the count and, sorted here, every
    page: a selective search in a large district probes each of its buildings' units, and doing
    that once for the count and again for the page cost twice the time. A rare keyword's
    matches (at most fulltext.COMMON) are all fetched (`_complete`) and sorted here.

    A distance search is counted by the same scan of its circle. Counting smaller circles first,
    to stop early in a dense town, cost more than it saved: a scan stops at COUNT_CAP + 1 anyway,
    and the inner counts were wasted whenever filters left fewer matches than that (benchmark,
    in-process: 2 km p95 18.1 -> 14.5 ms on SQLite; combined 182 -> 115 ms on PostgreSQL).
    """
    if p.sort in UNIT_SORTS:
        return None
    if p.dense and p.origin is None and db.session.get_bind().dialect.name == "postgresql":
        # PostgreSQL tests each building along the ranking by reading its tsvector: a walk to
        # COUNT_CAP + 1 costs fifty pages' worth, while a page needs only its own rows
        # (`_ranked_matches`) and the capped count comes from the keyword's first ids
        # (`_common_keyword_count`).
        return None
    if p.sort == "distance" and p.origin is not None:
        keys = [spatial.distance_sq(p.origin.lat, p.origin.lon)]
    elif p.sort == "newest":
        keys = [Building.created_at]
    else:
        keys = [Building.featured, Building.units_confirmed_at]
    limit = fulltext.COMMON + 1 if _complete(p) else COUNT_CAP + 1
    walk = p.dense and p.origin is None
    query = (
        select(Building.id, *keys).where(*p.ranking_walk())
        if walk
        else _select(p, Building.id, *keys)
    )
    query = query.limit(limit)
    if walk:
        # A common keyword: walking the ranking index finds the first COUNT_CAP + 1 matches
        # in page order, so the same scan also gives every page within them.
        query = query.order_by(*_ranking(p))
    # Up to 2,001 rows: read as the driver gives them (dates as text on SQLite, which sort the
    # same), since SQLAlchemy's rows cost two thirds of a filter search's scan.
    rows = plain_rows(db.session, query)
    return rows, len(rows) > COUNT_CAP


def _complete(p: Plan) -> bool:
    """Whether `_first_matches` returns every match: a rare keyword without a distance."""
    return p.rare and p.origin is None


def _in_order(rows: list[tuple], sort: str, origin: Origin | None) -> list[int]:
    """The ids of `_first_matches` rows in the order `_ordered_ids` gives (missing dates last).

    Dates are datetimes (PostgreSQL) or SQLAlchemy's fixed-width text (SQLite), which sorts as
    they do; a missing one is only ever compared with another missing one."""
    if sort == "distance" and origin is not None:
        return [row[0] for row in sorted(rows, key=lambda r: (r[1], r[0]))]
    if sort == "newest":
        ordered = sorted(rows, key=lambda r: (r[1] is not None, r[1] or 0, r[0]), reverse=True)
    else:
        ordered = sorted(
            rows, key=lambda r: (bool(r[1]), r[2] is not None, r[2] or 0, r[0]), reverse=True
        )
    return [row[0] for row in ordered]


def _ids_by_unit(p: Plan, offset: int, limit: int) -> list[int]:
    """Walk units in rent or area order and keep the first (best) unit of each building."""
    key, descending = UNIT_SORTS[p.sort]
    # The tie-break runs the same way as the key, so one index serves both directions.
    order = (key.desc(), Unit.id.desc()) if descending else (key.asc(), Unit.id.asc())
    # The building test is a probe per unit row, so the planner walks the (rent or area, id)
    # index in order and stops as soon as the page is full.
    building_ok = exists().where(Building.id == Unit.building_id, *p.building_conditions)
    query = select(Unit.building_id).where(*p.unit_conditions, building_ok).order_by(*order)
    wanted = offset + limit
    seen: dict[int, None] = {}
    batch = max(wanted * 8, 200)
    fetched = 0
    while len(seen) < wanted:
        rows = db.session.scalars(query.offset(fetched).limit(batch)).all()
        for building_id in rows:
            seen.setdefault(building_id)
        fetched += len(rows)
        if len(rows) < batch:
            break
        batch *= 2
    return list(seen)[offset:wanted]


def _common_keyword_count(p: Plan) -> tuple[int, bool] | None:
    """A common keyword's capped count on PostgreSQL from the ids the keyword's first query
    fetched (fulltext.first_ids): when more than COUNT_CAP of them pass the other conditions,
    the count is capped and the phrase need not be matched again. None: count the usual way."""
    if not (p.dense and db.session.get_bind().dialect.name == "postgresql"):
        return None
    first = fulltext.first_ids(db.session, p.params["q"], fulltext.COMMON)
    others = [c for c in p.where if c is not p.keyword]
    limited = select(Building.id).where(*others, _among(first)).limit(COUNT_CAP + 1)
    if db.session.scalar(select(func.count()).select_from(limited.subquery())) > COUNT_CAP:
        return COUNT_CAP, True
    return None


def count(p: Plan, cap: int | None = None) -> tuple[int, bool]:
    """The number of matching buildings, counted up to `cap` (COUNT_CAP); and whether it was
    capped."""
    cap = COUNT_CAP if cap is None else cap
    limited = _select(p, Building.id).limit(cap + 1)
    n = db.session.scalar(select(func.count()).select_from(limited.subquery()))
    return min(n, cap), n > cap


def map_rows(p: Plan, limit: int) -> list[tuple]:
    """(id, name, lat, lon) of the matching buildings, for a map or GeoJSON."""
    query = (
        _select(p, Building.id, Building.name, Building.lat, Building.lon)
        .where(Building.lat.is_not(None))
        .limit(limit)
    )
    return plain_rows(db.session, query)


def search(
    params: dict,
    now: datetime | None = None,
    per_page: int = PER_PAGE,
    map_limit: int = PAGE_MAP_LIMIT,
) -> SearchResult:
    """Find the published buildings matching `params` (already validated plain values)."""
    now = now or utcnow()
    places, errors = resolve_places(params)
    p = plan(params, places, now)
    found = _first_matches(p)
    rows = None
    if found is None:
        total, capped = _common_keyword_count(p) or count(p)
    else:
        rows, capped = found
        total = COUNT_CAP if capped else len(rows)
    pages = max(1, math.ceil(total / per_page))
    page = params.get("page") or 1
    if page > pages:
        errors["page"] = f"第 {page} 页超出范围，共 {pages} 页。"
        page = pages
    offset = (page - 1) * per_page
    if not total:
        ids = []
    elif rows is not None and (not capped or _complete(p)):
        ids = _in_order(rows, p.sort, p.origin)[offset : offset + per_page]
    elif rows is not None and p.dense and p.origin is None and offset + per_page <= COUNT_CAP:
        ids = [row[0] for row in rows[offset : offset + per_page]]  # already in page order
    else:
        ids = _ordered_ids(p, offset, per_page)
    result = SearchResult(
        cards=_cards(ids, p),
        total=total,
        page=page,
        pages=pages,
        per_page=per_page,
        capped=capped,
        origin=p.origin,
        radius_km=p.radius_km if p.origin else None,
        errors=errors,
        map_rows=map_rows(p, map_limit) if map_limit else [],
    )
    if total == 0:
        result.suggestions = suggestions(params, places, now)
    return result


def _cards(ids: list[int], p: Plan) -> list[BuildingCard]:
    buildings = {
        b.id: b
        for b in db.session.scalars(
            select(Building).where(Building.id.in_(ids)).options(*CARD_LOADS)
        )
    }
    conditions = p.unit_conditions if p.unit_filtered else unit_conditions({}, p.now)
    figures = unit_figures(ids, conditions)
    result = []
    for building_id in ids:
        building = buildings.get(building_id)
        if building is None:
            continue
        item = card(building, figures.get(building_id), p.now)
        if p.origin is not None and building.lat is not None:
            item.distance_km = km_between(
                (p.origin.lat, p.origin.lon), (building.lat, building.lon)
            )
        result.append(item)
    return result


# -- when nothing matches -------------------------------------------------------------------

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
# the whole region, say) to COUNT_CAP would cost more than the rest of the page, and a sparse
# one (a narrow rent band over the region) costs most of the page already at 100.
SUGGESTION_CAP = 20


def count_for(params: dict, now: datetime) -> tuple[int, bool]:
    places, errors = resolve_places(params)
    return (0, False) if errors else count(plan(params, places, now), cap=SUGGESTION_CAP)


MAX_SUGGESTIONS = 6


def suggestions(params: dict, places: dict, now: datetime) -> list[Suggestion]:
    """Ways out of an empty result: drop one filter, widen the radius, or try nearby towns;
    each counted (up to SUGGESTION_CAP), the first MAX_SUGGESTIONS that lead somewhere."""
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
    latitude): a region's towns are close enough for it, and a great circle per town cost
    several milliseconds of an empty result."""
    towns = db.session.scalars(
        select(Place).where(Place.kind == PlaceKind.TOWN, Place.id != town.id)
    ).all()
    squeeze = math.cos(math.radians(town.lat))  # a degree of longitude, in degrees of latitude
    towns = sorted(
        towns, key=lambda t: (t.lat - town.lat) ** 2 + ((t.lon - town.lon) * squeeze) ** 2
    )
    return towns[:limit]
