"""Which strategy a search takes, and that the database runs it through the index it was written
for: each test here pins a row of docs/search.md. The plans are read with
app.listings.search.explain, which binds parameters as the app does."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import event, inspect, select, text

from app.extensions import db
from app.geo.distance import bounding_box, km_between
from app.listings import fulltext
from app.listings.search import Count, Frequency, Page, Source, search
from app.listings.search.explain import explain, explained
from app.listings.services import unit_conditions
from app.models import Building
from app.models.base import utcnow
from tests.search.support import near_station, place, planned


def sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def analyzed() -> None:
    """PostgreSQL's statistics of the demo, as autovacuum (or the bench's load) leaves them."""
    if not sqlite():
        db.session.execute(text("ANALYZE"))


def test_explain_binds_parameters_as_the_app_does(demo):
    """The plan is of the statement the driver is given, parameters apart: the same steps as
    EXPLAIN of that statement, and a value never appears in the SQL."""
    query = select(Building.id).where(Building.grade == "甲级", Building.status == "published")
    steps = explain(query)
    assert steps
    if sqlite():
        assert any("ix_building" in step for step in steps)
    else:
        assert any("Scan" in step for step in steps)
    sent = []

    def keep(_conn, _cursor, statement, parameters, _context, _many) -> None:
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        explain(query)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    statement, _parameters = sent[-1]
    assert statement.startswith("EXPLAIN") and "甲级" not in statement


def test_a_search_naming_no_place_reads_the_regions_index(demo):
    """With no place, a search's own building tests (grade, rent range, kinds of unit) are read
    from ix_building_facets on SQLite, no row read; its page is still found walking the
    ranking, and the buildings are those the plain conditions give."""
    params = {"grade": "甲级", "rent_min": 1, "rent_max": 4}
    p = planned(params)
    strategy = p.describe()
    assert (strategy.count, strategy.page, strategy.source) == (
        Count.SCAN,
        Page.RANKING_WALK,
        Source.CONDITIONS,
    )
    found = set(db.session.scalars(p.select(Building.id)))
    assert found and found == {
        b.id
        for b in db.session.scalars(select(Building).where(Building.status == "published"))
        if b.grade == "甲级"
        and any(
            u.status == "available" and u.deal == "rent" and 1 <= u.rent_per_m2_day <= 4
            for u in b.units
        )
    }
    if sqlite():
        assert strategy.scan_index == "ix_building_facets"
        assert strategy.walk_index == "ix_building_status_rank"
        scan = explain(p.select(Building.id, Building.featured))
        assert scan[0].startswith("SEARCH building USING COVERING INDEX ix_building_facets")
        walk = explain(p.walk_query())
        assert walk[0].startswith("SEARCH building USING INDEX ix_building_status_rank")


@pytest.mark.parametrize(
    ("params", "place_kind"),
    [
        ({"district": "诸暨市", "deal": "rent"}, "district"),
        ({"district": "诸暨市", "town": "暨阳街道", "grade": "甲级"}, "town"),
    ],
)
def test_a_places_page_walks_its_own_ranking_index(demo, params, place_kind):
    """SQLite: a capped search's page walks the ranking of the smallest place named (the
    region's passes over every other place's buildings), written with a literal zero
    (`nudges.in_rank_index`), while its first matches are still read from the place's facets
    index, which tests the unit filters without reading a row; the walk finds the plain
    conditions' buildings in order."""
    p = planned(params)
    strategy = p.describe()
    assert (strategy.count, strategy.page) == (Count.SCAN, Page.RANKING_WALK)
    plain = select(Building.id).where(*p.where).order_by(*p.ranking())
    assert list(db.session.scalars(p.walk_query())) == list(db.session.scalars(plain)) != []
    if sqlite():
        assert strategy.walk_index == f"ix_building_{place_kind}_rank"
        assert strategy.scan_index == f"ix_building_{place_kind}_facets"
        walk = explain(p.walk_query())
        assert walk[0].startswith(
            f"SEARCH building USING INDEX {strategy.walk_index} (<expr>=? AND status=?)"
        )
        assert not any("TEMP B-TREE" in step for step in walk)
        scan = explain(p.select(Building.id, Building.featured))
        assert scan[0].startswith(f"SEARCH building USING INDEX {strategy.scan_index}")


def test_a_rare_keyword_is_looked_up_by_id(demo):
    """A rare keyword's few ids are looked up one by one (its status test written
    `nudges.unindexed`, so that SQLite does not walk every published building in the status
    index and test each against the list); every match is fetched and sorted here."""
    p = planned({"q": "次坞", "deal": "rent"})
    strategy = p.describe()
    assert (strategy.frequency, strategy.count) == (Frequency.RARE, Count.EVERY_MATCH)
    expected = set(db.session.execute(fulltext.matching_ids(db.session, "次坞")).scalars())
    found = set(db.session.scalars(p.select(Building.id)))
    assert found == {
        i
        for i in expected
        if any(
            u.deal == "rent" and u.status == "available" for u in db.session.get(Building, i).units
        )
    }
    assert found
    if sqlite():
        assert strategy.scan_index == "INTEGER PRIMARY KEY"
        scan = explain(p.select(Building.id))
        assert scan[0].startswith("SEARCH building USING INTEGER PRIMARY KEY (rowid=?)")
    else:
        # the ids as one array parameter (`nudges.one_array_parameter`), not one per id
        assert "= ANY (" in str(p.keyword.compile(db.engine))


def test_a_common_keyword_walks_the_ranking_testing_membership(demo, monkeypatch):
    """A common keyword's matches are found walking the ranking index, each building tested
    against the keyword's matches (SQLite: Count.RANKING_SCAN, whose rows are also the pages
    within the cap); PostgreSQL counts from the keyword's first ids and finds a page in ranked
    batches."""
    real = fulltext.is_common
    monkeypatch.setattr(fulltext, "is_common", lambda s, q, threshold=0: real(s, q, 0))
    p = planned({"q": "诸暨"})
    strategy = p.describe()
    assert strategy.frequency is Frequency.COMMON
    if sqlite():
        assert strategy.count is Count.RANKING_SCAN
        assert strategy.scan_index == strategy.walk_index == "ix_building_status_rank"
        walk = explain(p.walk_query())
        assert walk[0].startswith("SEARCH building USING")
        assert "INDEX ix_building_status_rank (status=?)" in walk[0]
        assert not any("INTEGER PRIMARY KEY" in step for step in walk)
        assert not any("TEMP B-TREE" in step for step in walk)
    else:
        assert strategy.count is Count.KEYWORD_IDS
        assert strategy.page is Page.RANKED_BATCHES


@pytest.mark.parametrize("extra", [{}, {"deal": "rent"}])
def test_a_common_keyword_within_a_distance_is_led_by_the_box(demo, monkeypatch, extra):
    """SQLite: within a distance, the box's ids (from the R*Tree) are looked up one by one and
    each tested against a common keyword's matches, written `nudges.unindexed` on the id so that
    SQLite does not look up the keyword's thousands of matches instead."""
    real = fulltext.is_common
    monkeypatch.setattr(fulltext, "is_common", lambda s, q, threshold=0: real(s, q, 0))
    p = planned(near_station(radius_km=5, q="诸暨", **extra))
    strategy = p.describe()
    assert (strategy.frequency, strategy.source) == (Frequency.COMMON, Source.CONDITIONS)
    plain = set(db.session.scalars(select(Building.id).where(*p.where)))
    assert set(db.session.scalars(p.select(Building.id))) == plain != set()
    if sqlite():
        assert strategy.scan_index == "building_rtree"
        steps = explain(p.select(Building.id))
        assert steps[0].startswith("SEARCH building USING INDEX ix_building_status")
        assert "rowid=?" in steps[0]
        lists = [steps[i + 1] for i, step in enumerate(steps) if step.startswith("LIST SUBQUERY")]
        assert "building_rtree" in lists[0], steps  # the box's ids lead, the keyword's are tested


def test_a_distance_search_with_a_grade_tests_it_in_the_grades_index(demo):
    """A distance search with a grade and unit filters looks the box's ids up in the grade's
    index on SQLite (the grade tested before a row is read; the status written
    `nudges.unindexed`), not every building of the grade in the region's index; the buildings
    are those of the plain conditions."""
    p = planned(near_station(radius_km=40, grade="甲级", deal="rent"))
    plain = replace(p, status_unindexed=False).where
    assert set(db.session.scalars(p.select(Building.id))) == set(
        db.session.scalars(select(Building.id).where(*plain))
    )
    if sqlite():
        assert p.describe().scan_index == "ix_building_grade"
        scan = explain(p.select(Building.id))
        grade_then_id = "SEARCH building USING INDEX ix_building_grade (grade=? AND rowid=?)"
        assert scan[0].startswith(grade_then_id)


def test_a_distance_search_with_a_rare_keyword_is_led_by_its_matches(demo):
    """A rare keyword's few ids lead a distance search: each is read by id and tested against
    the box and the circle on its row, the box's ids are not looked up (SQLite would take the
    box's thousands instead and test each against the keyword). The buildings, nearest first,
    are those of the same conditions led by the box: one just north of the box, which the
    circle's flat-earth cut alone would take, is left out."""
    station = place("诸暨站")
    params = near_station(radius_km=40, q="诸暨")
    p = planned(params)
    strategy = p.describe()
    assert strategy.frequency is Frequency.RARE
    assert strategy.source is (Source.KEYWORD_LED if sqlite() else Source.CONDITIONS)
    matches = list(db.session.scalars(select(Building).where(p.status, p.keyword)))
    outside = matches[0]
    outside.lat = bounding_box(station.lat, station.lon, 40)[1] + 0.001
    outside.lon = station.lon
    db.session.commit()
    here = (station.lat, station.lon)
    km = {b.id: km_between(here, (b.lat, b.lon)) for b in matches}
    assert km[outside.id] > 40
    found = set(db.session.scalars(p.select(Building.id)))
    boxed = p.where  # the box leads: the R*Tree or lat/lon
    assert found == set(db.session.scalars(select(Building.id).where(*boxed)))
    assert outside.id not in found
    assert found and {i for i, d in km.items() if d < 39.9} <= found  # the circle's edge is
    assert found <= {i for i, d in km.items() if d < 40.1}  # a flat-earth approximation
    result = search(params, map_limit=0)
    shown = [km[c.building.id] for c in result.cards]
    assert result.total == len(found) and shown == sorted(shown)
    if sqlite():
        scan = explain(p.select(Building.id))
        assert scan[0].startswith("SEARCH building USING INTEGER PRIMARY KEY (rowid=?)")
        assert not any("building_rtree" in step for step in scan)


@pytest.mark.parametrize(
    ("radius", "extra", "rtree_first"),
    [
        (2, {"grade": "甲级"}, True),
        (8, {"grade": "甲级"}, True),
        (40, {}, True),
        (40, {"deal": "rent"}, False),  # units tested: the whole box is read, in id order
        (40, {"q": "诸暨"}, False),  # the keyword's ids start the scan
    ],
)
def test_a_distance_search_on_building_columns_reads_the_spatial_index_first(
    demo, radius, extra, rtree_first
):
    """A distance search that tests only the buildings' own columns reads, on SQLite, the
    circle's box from its R*Tree first, in a CROSS JOIN (`nudges.read_first`); the buildings
    are those the plain conditions give whichever way they are read."""
    p = planned(near_station(radius_km=radius, **extra))
    plain = set(db.session.scalars(select(Building.id).where(*p.where)))
    query = p.select(Building.id)
    assert set(db.session.scalars(query)) == plain
    if radius == 40:
        assert len(plain) > 3
    if sqlite():
        assert (p.describe().source is Source.RTREE_FIRST) == rtree_first
        steps = explain(query)
        assert ("building_rtree" in steps[0]) == rtree_first
    else:
        assert p.describe().source is Source.CONDITIONS


@pytest.mark.parametrize(
    ("sort", "index"), [("rent_asc", "ix_unit_rent_order"), ("area_desc", "ix_unit_area_order")]
)
def test_a_sort_by_rent_or_area_walks_the_unit_index_in_order(demo, sort, index):
    """A rent or area sort walks that column's unit index in order, each unit's building
    tested by a probe, so the walk stops when the page is full (both engines)."""
    p = planned({"deal": "rent", "sort": sort})
    strategy = p.describe()
    assert (strategy.count, strategy.page, strategy.walk_index) == (
        Count.COUNT,
        Page.UNIT_WALK,
        index,
    )
    analyzed()
    steps = explained(p.unit_walk_query().limit(20))
    if sqlite():
        assert index in steps and "TEMP B-TREE" not in steps
    else:
        assert index in steps and "Sort" not in steps


def test_the_unit_probe_reads_the_unit_index_alone(demo):
    """Every column the unit filters test is in the index the per-building probe uses, so no
    unit row is read (SQLite says so in its plan); on PostgreSQL the probe stays a lookup per
    building (`nudges.no_semi_join`), not a semi-join hashing every matching unit."""
    params = {"deal": "rent", "rent_min": 1, "rent_max": 3, "area_min": 50, "area_max": 900}
    params["decoration"] = "精装"
    conditions = unit_conditions(params, utcnow())
    tested = {c.name for condition in conditions for c in condition.left.base_columns}
    index = next(
        i for i in inspect(db.engine).get_indexes("unit") if i["name"] == "ix_unit_building_status"
    )
    assert index["column_names"][0] == "building_id"
    assert tested <= set(index["column_names"])
    p = planned(params)
    assert p.describe().probe_index == "ix_unit_building_status"
    analyzed()
    steps = explained(select(Building.id).where(p.unit_probe()))
    if sqlite():
        assert "COVERING INDEX ix_unit_building_status" in steps
    else:
        assert "SubPlan" in steps and "Semi Join" not in steps


def test_a_keywords_first_ids_are_read_through_a_materialized_cte(demo):
    """PostgreSQL: the first ids of a keyword come from a materialized CTE
    (`nudges.materialized`), planned for all its rows and read only as far as the LIMIT, so
    that the LIMIT does not turn the match into a table scan testing each row's text."""
    statement, params = fulltext.first_ids_statement(db.session, "产业园", fulltext.COMMON)
    analyzed()
    steps = explained(statement, params)
    if sqlite():
        assert "VIRTUAL TABLE INDEX" in steps  # FTS5 answers the match
    else:
        assert "CTE Scan on found" in steps and "building_fts" in steps


def test_which_of_some_buildings_match_is_asked_of_their_rows(demo):
    """PostgreSQL: the ranked ids' rows are found by primary key and each tested on a tsvector
    no index serves (`nudges.unindexed_tsvector`), not matched over the whole full-text index
    first. (At the demo's size PostgreSQL reads the little table whole either way: the plan's
    filter shows the test as written; docs/search.md has the bench's figures.)"""
    ids = list(db.session.scalars(select(Building.id).limit(5)))
    statement, params = fulltext.matching_among_statement(db.session, "次坞", ids)
    analyzed()
    steps = explained(statement, params)
    expected = set(db.session.execute(fulltext.matching_ids(db.session, "次坞")).scalars())
    assert fulltext.matching_among(db.session, "次坞", ids) == expected & set(ids)
    if sqlite():
        assert "building_fts" in steps
    else:
        assert "COALESCE(grams, ''::tsvector) @@" in steps
        assert "Bitmap Index Scan on ix_building_fts_grams" not in steps
