"""A search turned into a plan: its conditions in named fields, and the strategy that runs it.

`plan()` is the one place that decides; the plan's properties derive every query shape from its
fields, and `Plan.describe()` names the strategy (docs/search.md has a row for each).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, exists, select

from app.extensions import db
from app.listings import facets, fulltext, nudges, spatial
from app.listings.forms import DEFAULT_RADIUS_KM, MAX_RADIUS_KM
from app.listings.services import Origin, unit_conditions
from app.models import Building, BuildingStatus, Unit

PLACE_COLUMNS = (
    ("district", Building.district_id),
    ("town", Building.town_id),
    ("park", Building.park_id),
)
# The places with a ranking index of their own on SQLite, smallest first: a walk reads the
# smallest one named (models.listings.place_rank_index).
RANKED_PLACES = ("town", "district")
UNIT_FILTERS = ("deal", "rent_min", "rent_max", "area_min", "area_max", "decoration")
UNIT_SORTS = {
    "rent_asc": (Unit.rent_per_m2_day, False),
    "rent_desc": (Unit.rent_per_m2_day, True),
    "area_asc": (Unit.area_m2, False),
    "area_desc": (Unit.area_m2, True),
}
UNIT_SORT_INDEXES = {Unit.rent_per_m2_day: "ix_unit_rent_order", Unit.area_m2: "ix_unit_area_order"}
UNIT_PROBE_INDEX = "ix_unit_building_status"


class Frequency(enum.Enum):
    """How many buildings a keyword matches, which decides how its matches are found."""

    RARE = "rare"  # at most fulltext.COMMON: a list of ids that is looked up by id
    COMMON = "common"  # more: found by walking the ranking and testing each building


class Source(enum.Enum):
    """The FROM and WHERE of a query over the matching buildings (`Plan.select`)."""

    CONDITIONS = "conditions"  # every condition in the WHERE; the planner picks the index
    KEYWORD_LED = "keyword-led"  # SQLite, a rare keyword within a distance: its ids lead
    RTREE_FIRST = "rtree-first"  # SQLite, a distance on building columns: the R*Tree read first


class Count(enum.Enum):
    """How the matches are counted (up to COUNT_CAP) and, below the cap, sorted into pages."""

    SCAN = "scan"  # ids and sort keys of up to COUNT_CAP + 1 matches; pages sorted here
    EVERY_MATCH = "every match"  # a rare keyword: all its matches with their keys, sorted here
    RANKING_SCAN = "ranking scan"  # a common keyword (SQLite): the ranking walked, in page order
    KEYWORD_IDS = "keyword ids"  # a common keyword (PostgreSQL): its first ids tested
    COUNT = "count"  # a capped COUNT(*): the rent and area sorts need the units for a page


class Page(enum.Enum):
    """How a page is found that the count's scan did not give (past a capped count)."""

    RANKING_WALK = "ranking walk"  # ORDER BY the ranking with OFFSET and LIMIT, along an index
    RANKED_BATCHES = "ranked batches"  # PostgreSQL, a common keyword: ranked ids in batches
    WIDENING_CIRCLES = "widening circles"  # a distance sort: smaller circles first
    UNIT_WALK = "unit walk"  # a rent or area sort: the unit index in order


@dataclass(frozen=True)
class Strategy:
    """What a plan does, in the words of docs/search.md, and the indexes it is written for
    (None: the planner's own choice)."""

    count: Count
    page: Page
    source: Source
    frequency: Frequency | None
    scan_index: str | None  # leads the count's scan (SQLite)
    walk_index: str | None  # leads a page's walk (SQLite; the unit sort's on both)
    probe_index: str | None  # serves the per-building unit probe


@dataclass(frozen=True, kw_only=True)
class Plan:
    """A search's conditions, each kind in its own field, and the facts its strategy turns on."""

    params: dict
    places: dict
    now: datetime
    dialect: str  # "sqlite" or "postgresql"
    sort: str  # "" (the ranking), "newest", "distance" or a key of UNIT_SORTS
    status_unindexed: bool  # whether `status` is written for no index (something else leads)
    column_tests: tuple  # the named places' and the grade's tests, as a scan writes them
    walk_tests: tuple  # the same tests, as the ranking walk writes them (SQLite)
    ranked_place: str | None  # the place whose own ranking index the walk reads
    facet_tests: tuple  # on the buildings' summary of their units (app.listings.facets)
    frequency: Frequency | None  # None: no keyword
    keyword: object  # the keyword's condition, or None
    origin: Origin | None
    radius_km: float
    circle: tuple  # (box, disc) around the origin, or ()
    unit_tests: tuple  # on the units (always: the public ones only)
    unit_filtered: bool  # whether a building needs a matching unit to qualify

    # -- conditions -----------------------------------------------------------------------

    @property
    def sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def status(self):
        """Published; with a rare keyword's ids or the grade's index leading, written so that
        no index serves it: given the status, SQLite would rather walk an index of the status
        (every published building) and test each."""
        column = nudges.unindexed(Building.status) if self.status_unindexed else Building.status
        return column == BuildingStatus.PUBLISHED

    def conditions(
        self, *, place_tests=None, keyword: bool = True, circle: bool = True, probe: bool = True
    ) -> list:
        """The plan's conditions in the one order every query writes them: status, place and
        grade tests (`place_tests`, else `column_tests`), facets, keyword, circle, unit probe;
        each part but the first can be left out for a query that tests it apart."""
        return [
            self.status,
            *(self.column_tests if place_tests is None else place_tests),
            *self.facet_tests,
            *([self.keyword] if keyword and self.keyword is not None else []),
            *(self.circle if circle else ()),
            *([self.unit_probe()] if probe and self.unit_filtered else []),
        ]

    @property
    def building_conditions(self) -> list:
        """Every condition on the building's own row."""
        return self.conditions(probe=False)

    def unit_probe(self):
        """EXISTS a matching unit, if units are tested (else None): only columns of the unit
        index (ix_unit_building_status), so a probe reads no unit row."""
        if not self.unit_filtered:
            return None
        probe = select(Unit.building_id).where(Unit.building_id == Building.id, *self.unit_tests)
        if self.dialect == "postgresql":
            probe = nudges.no_semi_join(probe)
        return probe.exists()

    @property
    def where(self) -> list:
        """Every condition a matching building meets, the unit probe included."""
        return self.conditions()

    def where_but_keyword(self) -> list:
        """`where` without the keyword's condition (for the walks that test it apart)."""
        return self.conditions(keyword=False)

    def ranking_walk(self) -> list:
        """`where`, written for a walk along a ranking index on SQLite: the named town's or
        district's (`models.place_rank_index`), else the region's; the grade and any other
        place tested by no index. Otherwise SQLite takes every matching building of a district
        from its place index (or of the region from ix_building_facets, for a grade) and sorts
        them, probing each one's units, where the walk stops when the page is full."""
        if not self.sqlite:
            return self.where
        return self.conditions(place_tests=self.walk_tests)

    def walk_query(self) -> Select:
        """A page's ids in ranking order (Page.RANKING_WALK; Count.RANKING_SCAN adds its keys)."""
        return select(Building.id).where(*self.ranking_walk()).order_by(*self.ranking())

    def unit_walk_query(self) -> Select:
        """Page.UNIT_WALK: the units in rent or area order, each building tested by a probe per
        unit row, so that the planner walks the (rent or area, id) index in order and stops as
        soon as the page is full. The tie-break runs the same way as the key, so one index
        serves both directions."""
        key, descending = UNIT_SORTS[self.sort]
        order = (key.desc(), Unit.id.desc()) if descending else (key.asc(), Unit.id.asc())
        building_ok = exists().where(Building.id == Unit.building_id, *self.building_conditions)
        return select(Unit.building_id).where(*self.unit_tests, building_ok).order_by(*order)

    def ranking(self) -> list:
        """The ORDER BY of the sorts by building columns (distance has its own)."""
        if self.sort == "newest":
            return [Building.created_at.desc(), Building.id.desc()]
        # Featured first, then the most recently confirmed: stale listings sink on their own.
        return [Building.featured.desc(), Building.units_confirmed_at.desc(), Building.id.desc()]

    def sort_keys(self) -> list:
        """The columns `in_order` sorts the count's scan by."""
        if self.sort == "distance" and self.origin is not None:
            return [spatial.distance_sq(self.origin.lat, self.origin.lon)]
        if self.sort == "newest":
            return [Building.created_at]
        return [Building.featured, Building.units_confirmed_at]

    @property
    def names_a_place(self) -> bool:
        """Whether the search names a district, town or park (whose index then starts a scan)."""
        return names_a_place(self.places)

    # -- the query over the matches ----------------------------------------------------------

    @property
    def source(self) -> Source:
        """How `select` reads the matches (docs/search.md)."""
        if self.origin is None or not self.sqlite:
            return Source.CONDITIONS
        if self.frequency is Frequency.RARE:
            return Source.KEYWORD_LED
        # A place's index or a keyword's ids find fewer rows than the box, and a search that few
        # buildings pass reads the whole box anyway, faster in id order (the IN list's).
        selective = self.names_a_place or self.keyword is not None or self.unit_filtered
        return Source.CONDITIONS if selective else Source.RTREE_FIRST

    def select(self, *columns, radius: float | None = None) -> Select:
        """SELECT `columns` of the buildings matching the plan; within `radius` km of its origin
        instead of its own radius, when given (a smaller circle, which lies in the search's own)."""
        if self.origin is None:
            return select(*columns).where(*self.where)
        lat, lon = self.origin.lat, self.origin.lon
        radius = self.radius_km if radius is None else radius
        circle = self.circle if radius == self.radius_km else spatial.within(lat, lon, radius)
        others = self.conditions(circle=False)
        _box, disc = circle
        source = self.source
        if source is Source.KEYWORD_LED:
            # Each of the keyword's buildings is read by id and tested on its own row. The box
            # stays a test: the circle's flat-earth cut alone reaches a little past it to the
            # north and south.
            return select(*columns).where(*others, spatial.inside_box(lat, lon, radius), disc)
        if source is Source.RTREE_FIRST:
            # the box comes from the R*Tree in the join, so that a LIMIT stops the scan early
            return spatial.index_first(select(*columns), lat, lon, radius).where(*others, disc)
        return select(*columns).where(*others, *circle)

    # -- the strategy ----------------------------------------------------------------------

    @property
    def count_by(self) -> Count:
        common = self.frequency is Frequency.COMMON
        if common and not self.sqlite and (self.origin is None or self.sort in UNIT_SORTS):
            # PostgreSQL tests each building along the ranking by reading its tsvector: a walk
            # to COUNT_CAP + 1 costs fifty pages' worth, where a page needs only its own rows.
            return Count.KEYWORD_IDS
        if self.sort in UNIT_SORTS:
            return Count.COUNT
        if common and self.origin is None:
            return Count.RANKING_SCAN
        if self.frequency is Frequency.RARE and self.origin is None:
            return Count.EVERY_MATCH
        return Count.SCAN

    @property
    def page_by(self) -> Page:
        if self.sort in UNIT_SORTS:
            return Page.UNIT_WALK
        if self.sort == "distance" and self.origin is not None:
            return Page.WIDENING_CIRCLES
        if self.frequency is Frequency.COMMON and not self.sqlite:
            return Page.RANKED_BATCHES
        return Page.RANKING_WALK

    def describe(self) -> Strategy:
        """The strategy this plan runs, and the indexes it is written for."""
        return Strategy(
            count=self.count_by,
            page=self.page_by,
            source=self.source,
            frequency=self.frequency,
            scan_index=self._scan_index(),
            walk_index=self._walk_index(),
            probe_index=UNIT_PROBE_INDEX if self.unit_filtered else None,
        )

    def _walk_index(self) -> str | None:
        page = self.page_by
        if page is Page.UNIT_WALK:
            return UNIT_SORT_INDEXES[UNIT_SORTS[self.sort][0]]
        if page is not Page.RANKING_WALK or not self.sqlite or self.status_unindexed:
            return None
        if self.ranked_place is not None:
            return f"ix_building_{self.ranked_place}_rank"
        return "ix_building_status_rank"

    def _scan_index(self) -> str | None:
        if not self.sqlite or self.count_by is Count.COUNT:
            return None
        if self.count_by is Count.RANKING_SCAN:
            return self._walk_index()
        if self.source is Source.RTREE_FIRST:
            return "building_rtree"
        if self.names_a_place and (self.frequency is Frequency.RARE or self.origin is not None):
            return None
        if self.params.get("grade") and (
            self.frequency is Frequency.RARE or self.origin is not None
        ):
            return "ix_building_grade"  # each id looked up by (grade, id)
        if self.frequency is Frequency.RARE:
            return "INTEGER PRIMARY KEY"
        if self.origin is not None and not self.names_a_place:
            return "building_rtree"  # the box's ids, each looked up by id
        if self.ranked_place is not None and self.places.get("park") is None:
            return f"ix_building_{self.ranked_place}_facets"
        if self.origin is None and not self.names_a_place and self.keyword is None:
            return "ix_building_facets"
        return None


def _boxed_grade(origin, places: dict, dialect: str, params: dict) -> bool:
    """A distance search with a grade and no place on SQLite: the box's ids are looked up in the
    grade's index by (grade, id), which tests the grade before a building's row is read."""
    return (
        origin is not None
        and not names_a_place(places)
        and dialect == "sqlite"
        and bool(params.get("grade"))
    )


def names_a_place(places: dict) -> bool:
    return any(places.get(name) is not None for name, _ in PLACE_COLUMNS)


def plan(params: dict, places: dict, now: datetime) -> Plan:
    """Turn validated search values and their resolved places into a plan."""
    dialect = db.session.get_bind().dialect.name
    sqlite = dialect == "sqlite"
    ranked = next((n for n in RANKED_PLACES if places.get(n) is not None), None)
    column_tests, walk_tests = [], []
    for name, column in PLACE_COLUMNS:
        if places.get(name) is not None:
            column_tests.append(column == places[name].id)
            walked = nudges.in_rank_index(column) if name == ranked else nudges.unindexed(column)
            walk_tests.append(walked == places[name].id)
    if params.get("grade"):
        column_tests.append(Building.grade == params["grade"])
        walk_tests.append(nudges.unindexed(Building.grade) == params["grade"])
    frequency, keyword = _keyword(params.get("q"), sqlite)
    origin: Origin | None = places.get("origin")
    status_unindexed = frequency is Frequency.RARE or _boxed_grade(origin, places, dialect, params)
    radius = min(params.get("radius_km") or DEFAULT_RADIUS_KM, MAX_RADIUS_KM)
    circle = spatial.within(origin.lat, origin.lon, radius) if origin is not None else []
    units = unit_conditions(params, now)
    filtered = any(params.get(name) not in (None, "") for name in UNIT_FILTERS)
    sort = params.get("sort") or ""
    if sort in UNIT_SORTS:
        filtered = True
        units = [*units, UNIT_SORTS[sort][0].is_not(None)]
    if origin is not None and sort == "":
        sort = "distance"
    return Plan(
        params=params,
        places=places,
        now=now,
        dialect=dialect,
        sort=sort,
        status_unindexed=status_unindexed,
        column_tests=tuple(column_tests),
        walk_tests=tuple(walk_tests),
        ranked_place=ranked,
        # What a building's units offer must meet the unit filters before its units are read:
        # most buildings of a district are passed over on their own columns.
        facet_tests=tuple(facets.conditions(params)),
        frequency=frequency,
        keyword=keyword,
        origin=origin,
        radius_km=radius,
        circle=tuple(circle),
        unit_tests=tuple(units),
        unit_filtered=filtered,
    )


def _keyword(q: str | None, sqlite: bool) -> tuple[Frequency | None, object]:
    """The keyword's frequency and its condition on Building.id, in the form each runs fastest:
    a rare keyword's few ids looked up one by one; a common one's tested for membership while
    the ranking index is walked (on SQLite written `nudges.unindexed`, so that no index starts
    from the ids)."""
    if not q:
        return None, None
    matches = fulltext.matching_ids(db.session, q)
    if matches is None:  # no term to search for
        return None, None
    found = None if fulltext.is_common(db.session, q) else fulltext.rare_ids(db.session, q)
    if found is not None:
        if sqlite:
            return Frequency.RARE, Building.id.in_(found)
        return Frequency.RARE, nudges.one_array_parameter(Building.id, found)
    column = nudges.unindexed(Building.id) if sqlite else Building.id
    return Frequency.COMMON, column.in_(matches)
