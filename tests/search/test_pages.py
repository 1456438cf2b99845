"""The shortcuts a large market takes give the same pages as the plain order: a capped count,
a common or rare keyword, widening circles, matches sorted here."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.geo.distance import km_between
from app.listings import fulltext
from app.listings.search import Count, Frequency, Page, execute, search
from app.models import Building
from app.models.base import utcnow
from tests.search.support import near_station, page_total, pages, place, planned


@pytest.mark.parametrize("few", [execute.FEW_RANKED, 0])
def test_common_keyword_pages_come_from_one_ranked_scan(demo, monkeypatch, few):
    plain = pages({"q": "诸暨"})
    assert len(plain) > 8
    real = fulltext.is_common
    # Every word is "common", and counts stop at 6: the pages come from the ranked scan that
    # also counts (SQLite) or from ranked batches (PostgreSQL), and must be the first six of the
    # plain order. With FEW_RANKED at 0, PostgreSQL's walk takes every keyword for one that few
    # ranked buildings match: after its first batch it tests ids against all the keyword's
    # matches instead of their text.
    monkeypatch.setattr(fulltext, "is_common", lambda s, q, threshold=0: real(s, q, 0))
    monkeypatch.setattr(execute, "FEW_RANKED", few)
    monkeypatch.setattr(execute, "RANKED_BATCH", 2)  # several batches, even in the demo
    monkeypatch.setattr(execute, "COUNT_CAP", 6)
    strategy = planned({"q": "诸暨"}).describe()
    assert strategy.frequency is Frequency.COMMON
    if db.engine.dialect.name == "sqlite":
        assert (strategy.count, strategy.page) == (Count.RANKING_SCAN, Page.RANKING_WALK)
    else:
        assert (strategy.count, strategy.page) == (Count.KEYWORD_IDS, Page.RANKED_BATCHES)
    common = pages({"q": "诸暨"}, per_page=2)
    assert common == plain[: len(common)] and len(common) == 6
    assert search({"q": "诸暨"}, map_limit=0).capped


def test_distance_pages_from_smaller_circles_are_the_nearest_in_order(demo, monkeypatch):
    station = place("诸暨站")
    params = near_station(radius_km=40, sort="distance")
    assert planned(params).describe().page is Page.WIDENING_CIRCLES
    found = pages(params, per_page=3)
    here = (station.lat, station.lon)
    published = db.session.scalars(
        select(Building).where(Building.status == "published", Building.lat.is_not(None))
    ).all()
    within = sorted(
        (km_between(here, (b.lat, b.lon)), b.id)
        for b in published
        if km_between(here, (b.lat, b.lon)) <= 40
    )
    assert found == [building_id for _, building_id in within]

    monkeypatch.setattr(execute, "COUNT_CAP", 3)  # capped: the page comes from widening circles
    capped = search(params, per_page=3, map_limit=0)
    assert capped.capped and capped.total == 3
    assert [c.building.id for c in capped.cards] == found[:3]


def test_a_rare_keywords_pages_past_the_cap_follow_the_plain_order(demo, monkeypatch):
    """A rare keyword's matches are all fetched in one scan and sorted here: a page past a
    capped count is still the plain order's."""
    plain = pages({"q": "诸暨"})
    assert len(plain) > 6
    strategy = planned({"q": "诸暨"}).describe()
    assert (strategy.frequency, strategy.count) == (Frequency.RARE, Count.EVERY_MATCH)
    monkeypatch.setattr(execute, "COUNT_CAP", 5)
    result = search({"q": "诸暨", "page": 3}, per_page=2, map_limit=0)
    assert result.capped and result.total == 5
    assert [c.building.id for c in result.cards] == plain[4:6]


@pytest.mark.parametrize("sort", ["", "newest"])
def test_matches_sorted_here_follow_the_databases_order(demo, sort):
    """Fewer matches than the cap are sorted in Python, from the scan's rows as the driver
    gives them (dates as text on SQLite): in the order the database sorts them in."""
    same_day = utcnow() - timedelta(days=3)
    ties = Building.id % 3 == 0  # equal dates: the id decides
    db.session.execute(
        update(Building).where(ties).values(units_confirmed_at=same_day, created_at=same_day)
    )
    p = planned({"sort": sort})
    assert p.describe().count is Count.SCAN
    rows, capped = execute.first_matches(p)
    assert not capped and len(rows) > 6
    assert any(isinstance(row[-1], str) for row in rows) == (db.engine.name == "sqlite")
    order = execute.in_order(rows, p.sort, None)
    assert order == list(
        db.session.scalars(select(Building.id).where(*p.where).order_by(*p.ranking()))
    )


@pytest.mark.parametrize(
    ("params", "per_page"),
    [
        ({"district": "诸暨市"}, 2),
        ({"district": "诸暨市", "deal": "rent"}, 2),
        ({"district": "诸暨市", "town": "暨阳街道"}, 1),
        ({"town": "次坞镇"}, 1),
    ],
)
def test_a_capped_places_pages_follow_the_plain_order(demo, monkeypatch, params, per_page):
    """Past a capped count a page is found walking the ranking (on SQLite the place's own
    ranking index): the same buildings in the same order as the uncapped search's."""
    assert planned(params).describe().page is Page.RANKING_WALK
    plain = pages(params, per_page=per_page)
    assert len(plain) > 3 * per_page
    monkeypatch.setattr(execute, "COUNT_CAP", 3 * per_page)
    for page in (1, 2, 3):
        result = search({**params, "page": page}, per_page=per_page, map_limit=0)
        assert result.capped and result.total == 3 * per_page and not result.errors
        wanted = plain[(page - 1) * per_page : page * per_page]
        assert [c.building.id for c in result.cards] == wanted


def test_the_site_s_city_as_the_district_means_all_of_it(client, demo):
    everything = page_total(client.get("/listings/").get_data(as_text=True))
    for name in ("绍兴", "绍兴市"):
        response = client.get("/listings/", query_string={"district": name})
        assert response.status_code == 200
        assert page_total(response.get_data(as_text=True)) == everything
    api = client.get("/api/listings", query_string={"district": "绍兴市"})
    assert api.status_code == 200 and api.get_json()["total"] == everything


def test_another_city_as_the_district_is_outside_the_site(client, demo):
    response = client.get("/listings/", query_string={"district": "杭州市"})
    assert response.status_code == 400
    assert "“杭州市”不在本站范围" in response.get_data(as_text=True)
