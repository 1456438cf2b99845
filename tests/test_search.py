"""The tenant search: every filter, sort and bad value; Chinese keywords; distance; the API."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.geo.distance import km_between
from app.listings import search as engine
from app.models import Building, Place, Unit
from app.models.base import utcnow


def ids(client, query: str, status: int = 200) -> list[int]:
    """The building ids on the first result page of /api/listings?query, in order."""
    response = client.get(f"/api/listings?{query}")
    assert response.status_code == status, response.get_json()
    return [r["id"] for r in response.get_json()["results"]]


def total(client, query: str) -> int:
    return client.get(f"/api/listings?{query}").get_json()["total"]


def page_total(html: str) -> int:
    return int(re.search(r"共找到 <strong>(\d+)</strong>", html).group(1))


def building(name: str) -> Building:
    return db.session.scalar(select(Building).where(Building.name == name))


def place(name: str) -> Place:
    return db.session.scalar(select(Place).where(Place.name == name))


def test_search_page_lists_every_published_building_with_count(client, demo):
    page = client.get("/listings/").get_data(as_text=True)
    assert page_total(page) == demo.buildings
    assert "租金单位 元/㎡/天" in page


def test_only_published_buildings_appear(client, demo):
    hidden = db.session.scalars(select(Building)).first()
    hidden.status = "hidden"
    db.session.commit()
    assert hidden.id not in [
        f["properties"]["id"] for f in client.get("/api/listings").get_json()["features"]
    ]
    assert client.get(f"/listings/{hidden.id}").status_code == 404


@pytest.mark.parametrize("word", ["次坞", "地铁", "纺城", "轻纺城", "直埠", "临杭"])
def test_keywords_find_what_the_text_and_places_say(client, demo, word):
    found = total(client, f"q={word}")
    assert found > 0, word
    for item in client.get(f"/api/listings?q={word}").get_json()["results"]:
        b = db.session.get(Building, item["id"])
        names = [*(b.town.names if b.town else []), *(b.park.place.names if b.park else [])]
        text = " ".join([b.name, b.address, b.description, *names])
        assert word in text, (word, b.name)


def test_cizhen_finds_buildings_of_the_town_and_those_that_mention_it(client, demo):
    in_town = {
        b.id
        for b in db.session.scalars(select(Building).where(Building.town_id == place("次坞镇").id))
    }
    found = set(ids(client, "q=次坞"))
    assert in_town and in_town <= found


def test_keywords_combine(client, demo):
    both = set(ids(client, "q=甲级 写字楼"))
    assert both
    assert all(db.session.get(Building, i).grade == "甲级" for i in both)
    assert total(client, "q=甲级 次坞") <= total(client, "q=次坞")


def test_keyword_index_follows_edits(client, demo):
    b = building(db.session.scalars(select(Building.name)).first())
    b.description = "顶层带屋顶花园的独栋办公"
    db.session.commit()
    assert ids(client, "q=屋顶花园") == [b.id]
    b.description = "普通写字楼"
    db.session.commit()
    assert ids(client, "q=屋顶花园") == []


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ("district=柯桥区", lambda b, u: b.district.name == "柯桥区"),
        ("district=绍兴县", lambda b, u: b.district.name == "柯桥区"),  # the old name still works
        ("town=店口镇", lambda b, u: b.town.name == "店口镇"),
        ("town=直埠镇", lambda b, u: b.town.name == "姚江镇"),
        ("park=次坞镇临杭产业园", lambda b, u: b.park and b.park.place.name == "次坞镇临杭产业园"),
        ("grade=乙级", lambda b, u: b.grade == "乙级"),
        ("deal=sale", lambda b, u: any(x.deal == "sale" for x in u)),
        (
            "rent_min=1.5&rent_max=2",
            lambda b, u: any(1.5 <= (x.rent_per_m2_day or 0) <= 2 for x in u),
        ),
        ("area_min=500", lambda b, u: any(x.area_m2 >= 500 for x in u)),
        ("area_max=100", lambda b, u: any(x.area_m2 <= 100 for x in u)),
        ("decoration=精装", lambda b, u: any(x.decoration == "精装" for x in u)),
    ],
)
def test_each_filter_keeps_only_matching_buildings(client, demo, query, check):
    response = client.get(f"/api/listings?{query}").get_json()
    assert response["total"] > 0, query
    assert response["total"] < demo.buildings, query
    for item in response["results"]:
        b = db.session.get(Building, item["id"])
        units = [u for u in b.units if u.status == "available"]
        assert check(b, units), (query, b.name)


def test_filters_combine(client, demo):
    assert total(client, "district=诸暨市&grade=甲级") < total(client, "district=诸暨市")
    combined = client.get("/api/listings?district=诸暨市&grade=甲级&rent_max=2").get_json()
    for item in combined["results"]:
        assert item["grade"] == "甲级" and item["min_rent"] <= 2


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("rent_asc", "min_rent", False),
        ("rent_desc", "max_rent", True),  # the dearest unit leads
        ("area_asc", "area_min", False),
        ("area_desc", "area_max", True),
    ],
)
def test_sorts(client, demo, sort, key, reverse):
    results = client.get(f"/api/listings?deal=rent&sort={sort}").get_json()["results"]
    values = [r[key] for r in results]
    assert len(values) > 5
    assert values == sorted(values, reverse=reverse)


def test_sort_newest(client, demo):
    newest = building(db.session.scalars(select(Building.name).order_by(Building.id)).first())
    newest.created_at = utcnow() + timedelta(days=1)
    db.session.commit()
    assert ids(client, "sort=newest")[0] == newest.id


def test_near_a_place_sorts_by_distance_and_shows_it(client, demo):
    station = place("诸暨站")
    results = client.get("/api/listings?near=诸暨站&radius_km=5").get_json()["results"]
    assert results
    distances = [r["distance_km"] for r in results]
    assert distances == sorted(distances) and distances[-1] <= 5
    first = db.session.get(Building, results[0]["id"])
    assert distances[0] == pytest.approx(
        km_between((station.lat, station.lon), (first.lat, first.lon)), abs=0.001
    )
    page = client.get("/listings/?near=诸暨站&radius_km=5").get_data(as_text=True)
    assert f"距离 {distances[0]:.1f} km".replace(".0 km", " km") in page or "距离 " in page


def test_near_coordinates_and_radius(client, demo):
    cizhen = place("次坞镇")
    small = total(client, f"near={cizhen.lat},{cizhen.lon}&radius_km=1")
    large = total(client, f"near={cizhen.lat},{cizhen.lon}&radius_km=10")
    assert large > 0 and small <= large


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("rent_min=abc", "rent_min", "请输入有效的数字"),
        ("rent_min=nan", "rent_min", "请输入有效的数字"),
        ("area_max=inf", "area_max", "请输入有效的数字"),
        ("rent_min=3&rent_max=1", "rent_max", "最高租金不能低于最低租金"),
        ("area_min=-5", "area_min", "最小面积应在"),
        ("area_min=800&area_max=100", "area_max", "最大面积不能小于最小面积"),
        ("near=诸暨站&radius_km=80", "radius_km", "半径应在 0.1 到 50 之间"),
        ("town=火星镇", "town", "找不到地点"),
        ("near=不存在的地方", "near", "找不到地点"),
        ("near=123,456", "near", "找不到地点"),
        ("page=0", "page", "页码必须是正整数"),
        ("page=9999", "page", "超出范围"),
        ("page=abc", "page", "不是有效的整数"),
        ("sort=price_sideways", "sort", "不是有效的选择"),
        ("sort=distance", "sort", "按距离排序需要先填写"),
        ("grade=S级", "grade", "不是有效的选择"),
        ("deal=swap", "deal", "不是有效的选择"),
        ("q=" + "长" * 60, "q", "关键词最多 50 个字"),
    ],
)
def test_bad_values_get_a_chinese_message_and_the_page(client, demo, query, field, message):
    response = client.get(f"/listings/?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert "共找到" in page  # the page is still there, with results
    api = client.get(f"/api/listings?{query}")
    assert api.status_code == 400
    assert any(message in m for m in api.get_json()["errors"][field])


def test_pagination_keeps_filters(client, demo):
    page = client.get("/listings/?district=诸暨市").get_data(as_text=True)
    links = re.findall(r'href="(/listings/\?[^"]*page=2[^"]*)"', page)
    assert links and all("district=" in link for link in links)
    first = ids(client, "district=诸暨市&page=1")
    second = ids(client, "district=诸暨市&page=2")
    assert second and not set(first) & set(second)


def test_empty_result_suggests_loosening(client, demo):
    page = client.get("/listings/?town=次坞镇&rent_max=0.3").get_data(as_text=True)
    assert "没有找到符合条件的楼盘" in page
    assert "不限租金" in page


def test_empty_result_suggests_nearby_towns(client, demo):
    for b in db.session.scalars(select(Building).where(Building.town_id == place("次坞镇").id)):
        b.status = "hidden"
    db.session.commit()
    page = client.get("/listings/?town=次坞镇").get_data(as_text=True)
    assert page_total(page) == 0
    assert "看看附近的" in page
    suggested = re.findall(r"看看附近的(\w+)</a>（(\d+) 个楼盘）", page)
    assert suggested and all(int(n) > 0 for _, n in suggested)


def test_an_empty_results_ways_out_look_each_place_up_once(client, demo):
    """The loosened searches of an empty result name the same town, or nearby towns that were
    just loaded: the town is looked up once, and nothing else is."""
    from sqlalchemy import event

    lookups = []

    def count(conn, cursor, statement, parameters, *args):
        if "FROM place" in statement and "place.name =" in statement:
            lookups.append(str(parameters))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        page = client.get("/listings/?town=次坞镇&grade=甲级&rent_max=0.3").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert "不限租金" in page  # one of the ways out, each counted with the town
    assert len(lookups) == 1  # the nearby towns offered are the ones already loaded


def test_nearby_towns_are_the_nearest_by_great_circle(demo):
    town = place("次坞镇")
    others = db.session.scalars(select(Place).where(Place.kind == "town", Place.id != town.id))
    here = (town.lat, town.lon)
    nearest = sorted(others, key=lambda t: km_between(here, (t.lat, t.lon)))[:4]
    assert engine.nearby_towns(town, limit=4) == nearest


def test_freshness_stale_units_rank_lower_and_expired_ones_leave(client, demo):
    now = utcnow()
    first = db.session.get(Building, ids(client, "")[0])
    for unit in first.units:
        unit.confirmed_at = now - timedelta(days=45)
    db.session.commit()
    assert ids(client, "")[0] != first.id
    page = client.get(f"/listings/{first.id}").get_data(as_text=True)
    assert "待确认" in page
    for unit in first.units:
        unit.confirmed_at = now - timedelta(days=100)
    db.session.commit()
    assert first.id not in ids(client, "deal=rent")
    assert engine.search({"deal": "rent"}).total == total(client, "deal=rent")


def test_api_returns_geojson_points(client, demo):
    data = client.get("/api/listings?q=次坞").get_json()
    assert data["type"] == "FeatureCollection"
    feature = data["features"][0]
    lon, lat = feature["geometry"]["coordinates"]
    b = db.session.get(Building, feature["properties"]["id"])
    assert (lat, lon) == (pytest.approx(b.lat), pytest.approx(b.lon))
    assert feature["properties"]["url"] == f"/listings/{b.id}"
    assert len(data["features"]) == data["total"]


def test_map_draws_the_current_results_from_the_api(client, demo):
    page = client.get("/listings/?q=次坞&grade=甲级&page=1&sort=rent_asc").get_data(as_text=True)
    url = re.search(r'data-source="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert url.startswith("/api/listings?") and "page=" not in url and "sort=" not in url
    data = client.get(url).get_json()
    assert data["total"] == total(client, "q=次坞&grade=甲级")
    assert {f["properties"]["id"] for f in data["features"]} >= set(
        ids(client, "q=次坞&grade=甲级")
    )
    assert len(data["features"]) == data["total"]


def test_api_can_answer_in_gcj02_for_chinese_tiles(client, demo):
    wgs = client.get("/api/listings?q=次坞").get_json()["features"][0]["geometry"]["coordinates"]
    gcj = client.get("/api/listings?q=次坞&crs=gcj02").get_json()["features"][0]
    lon, lat = gcj["geometry"]["coordinates"]
    assert lat - wgs[1] == pytest.approx(-0.0025, abs=0.0005)
    assert lon - wgs[0] == pytest.approx(0.0045, abs=0.0005)
    assert client.get("/api/listings?crs=bd09").status_code == 400


def test_units_on_leased_only_buildings_do_not_count(client, demo):
    b = db.session.get(Building, ids(client, "")[0])
    for unit in b.units:
        unit.status = "leased"
    db.session.commit()
    assert b.id not in ids(client, "deal=rent&area_min=1")
    assert db.session.scalar(select(Unit).where(Unit.building_id == b.id)) is not None


def test_reindex_command_rebuilds_the_index(runner, client, demo):
    from app.listings import fulltext

    fulltext.clear(db.session)
    db.session.commit()
    assert total(client, "q=次坞") == 0
    result = runner.invoke(args=["search", "reindex"])
    assert "搜索索引已重建" in result.output
    assert total(client, "q=次坞") > 0


# -- the shortcuts a large market takes give the same pages ---------------------------------


def _pages(params: dict, per_page: int = 4) -> list[int]:
    """Every building id of every page of a search, in page order (through the engine, so no
    page cache is involved)."""
    first = engine.search(params, per_page=per_page, map_limit=0)
    found = [c.building.id for c in first.cards]
    for page in range(2, first.pages + 1):
        result = engine.search({**params, "page": page}, per_page=per_page, map_limit=0)
        found += [c.building.id for c in result.cards]
    return found


@pytest.mark.parametrize("sparse", [engine.SPARSE, 0])
def test_common_keyword_pages_come_from_one_ranked_scan(demo, monkeypatch, sparse):
    from app.listings import fulltext

    plain = _pages({"q": "诸暨"})
    assert len(plain) > 8
    real = fulltext.is_common
    # Every word is "common", and counts stop at 6: the pages come from the ranked scan that
    # also counts, and must be the first six of the plain order. With SPARSE at 0, PostgreSQL's
    # walk takes every keyword for sparse: after its first batch it tests ids against all the
    # keyword's matches instead of their text.
    monkeypatch.setattr(fulltext, "is_common", lambda s, q, threshold=0: real(s, q, 0))
    monkeypatch.setattr(engine, "SPARSE", sparse)
    monkeypatch.setattr(engine, "RANKED_BATCH", 2)  # several batches, even in the demo
    monkeypatch.setattr(engine, "COUNT_CAP", 6)
    dense = _pages({"q": "诸暨"}, per_page=2)
    assert dense == plain[: len(dense)] and len(dense) == 6
    assert engine.search({"q": "诸暨"}, map_limit=0).capped


def test_distance_pages_from_smaller_circles_are_the_nearest_in_order(demo, monkeypatch):
    station = place("诸暨站")
    params = {"near": f"{station.lat},{station.lon}", "radius_km": 40, "sort": "distance"}
    found = _pages(params, per_page=3)
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

    monkeypatch.setattr(engine, "COUNT_CAP", 3)  # capped: the page comes from widening circles
    capped = engine.search(params, per_page=3, map_limit=0)
    assert capped.capped and capped.total == 3
    assert [c.building.id for c in capped.cards] == found[:3]


def _rent_range(b: Building) -> tuple[float | None, float | None]:
    db.session.refresh(b)
    return b.rent_low, b.rent_high


def _expected_range(b: Building) -> tuple[float | None, float | None]:
    rents = [u.rent_per_m2_day for u in b.units if u.status == "available" and u.rent_per_m2_day]
    return (min(rents), max(rents)) if rents else (None, None)


def test_a_buildings_rent_range_follows_its_units(demo):
    b = db.session.scalars(select(Building).where(Building.status == "published")).first()
    assert _rent_range(b) == _expected_range(b) != (None, None)
    cheapest = min((u for u in b.units if u.rent_per_m2_day), key=lambda u: u.rent_per_m2_day)
    cheapest.status = "leased"  # a unit leaves: the range narrows (or empties)
    db.session.commit()
    assert _rent_range(b) == _expected_range(b)
    b.units.append(Unit(deal="rent", area_m2=120, rent_per_m2_day=9.9, status="available"))
    db.session.commit()
    assert _rent_range(b)[1] == 9.9
    for unit in list(b.units):
        db.session.delete(unit)
    db.session.commit()
    assert _rent_range(b) == (None, None)


def test_rent_filters_find_what_the_units_alone_would(client, demo):
    """The building's rent range only passes buildings over: a search finds the same buildings
    as one asked of the units alone."""
    now = utcnow()
    for low, high in [(0.5, 1.2), (1.3, 1.3), (1.5, 2.5), (2.0, 9.0), (None, 1.4), (1.6, None)]:
        params = {k: v for k, v in (("rent_min", low), ("rent_max", high)) if v is not None}
        found = set(_pages(params, per_page=50))
        conditions = engine.unit_conditions(params, now)
        by_units = set(
            db.session.scalars(
                select(Unit.building_id)
                .join(Building)
                .where(Building.status == "published", *conditions)
            )
        )
        assert found == by_units, params


def test_a_buildings_kinds_of_unit_follow_its_units(demo):
    from app.listings import facets

    b = db.session.scalars(select(Building).where(Building.status == "published")).first()

    def expected() -> int:
        return facets.kinds_of((u.deal, u.decoration) for u in b.units if u.status == "available")

    db.session.refresh(b)
    assert b.unit_kinds == expected() != 0
    b.units.append(Unit(deal="sale", area_m2=300, decoration="豪装", status="available"))
    db.session.commit()
    db.session.refresh(b)
    assert b.unit_kinds & facets.kind_bit("sale", "豪装") and b.unit_kinds == expected()
    for unit in b.units:
        unit.status = "leased"
    db.session.commit()
    db.session.refresh(b)
    assert b.unit_kinds == 0


@pytest.mark.parametrize(
    "params",
    [
        {"deal": "sale"},
        {"deal": "rent", "decoration": "精装"},
        {"decoration": "毛坯"},
        {"deal": "sale", "decoration": "豪装", "area_min": 100},
        {"decoration": "简装", "rent_max": 1.5},
    ],
)
def test_deal_and_decoration_filters_find_what_the_units_alone_would(demo, params):
    now = utcnow()
    by_units = set(
        db.session.scalars(
            select(Unit.building_id)
            .join(Building)
            .where(Building.status == "published", *engine.unit_conditions(params, now))
        )
    )
    assert set(_pages(params, per_page=50)) == by_units


def test_a_rare_keywords_pages_past_the_cap_follow_the_plain_order(demo, monkeypatch):
    """A rare keyword's matches are all fetched in one scan and sorted here: a page past a
    capped count is still the plain order's."""
    plain = _pages({"q": "诸暨"})
    assert len(plain) > 6
    monkeypatch.setattr(engine, "COUNT_CAP", 5)
    result = engine.search({"q": "诸暨", "page": 3}, per_page=2, map_limit=0)
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
    p = engine.plan({"sort": sort}, {}, utcnow())
    rows, capped = engine._first_matches(p)
    assert not capped and len(rows) > 6
    assert any(isinstance(row[-1], str) for row in rows) == (db.engine.name == "sqlite")
    order = engine._in_order(rows, p.sort, None)
    assert order == list(
        db.session.scalars(select(Building.id).where(*p.where).order_by(*engine._ranking(p)))
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
    plain = _pages(params, per_page=per_page)
    assert len(plain) > 3 * per_page
    monkeypatch.setattr(engine, "COUNT_CAP", 3 * per_page)
    for page in (1, 2, 3):
        result = engine.search({**params, "page": page}, per_page=per_page, map_limit=0)
        assert result.capped and result.total == 3 * per_page and not result.errors
        wanted = plain[(page - 1) * per_page : page * per_page]
        assert [c.building.id for c in result.cards] == wanted


def _sqlite_plan(query) -> str:
    """SQLite's plan for `query` as the app runs it: the statement and bound parameters the
    driver is given (a value written into the SQL can match an index a parameter does not)."""
    from sqlalchemy import event

    sent = []

    def keep(_conn, _cursor, statement, parameters, _context, _many) -> None:
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        db.session.execute(query).all()
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    statement, parameters = sent[-1]
    cursor = db.session.connection().connection.cursor()
    try:
        rows = cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
    finally:
        cursor.close()
    return " | ".join(row[-1] for row in rows)


def test_a_search_naming_no_place_reads_the_regions_index(demo):
    """With no place, a search's own building tests (grade, rent range, kinds of unit) are read
    from ix_building_facets on SQLite, no row read; its page is still found walking the
    ranking, and the buildings are those the plain conditions give."""
    params = {"grade": "甲级", "rent_min": 1, "rent_max": 4}
    p = engine.plan(params, {}, utcnow())
    found = set(db.session.scalars(engine._select(p, Building.id)))
    assert found and found == {
        b.id
        for b in db.session.scalars(select(Building).where(Building.status == "published"))
        if b.grade == "甲级"
        and any(
            u.status == "available" and u.deal == "rent" and 1 <= u.rent_per_m2_day <= 4
            for u in b.units
        )
    }
    if db.engine.dialect.name == "sqlite":
        scan = _sqlite_plan(select(Building.id, Building.featured).where(*p.where))
        assert scan.startswith("SEARCH building USING COVERING INDEX ix_building_facets")
        walk = select(Building.id).where(*p.ranking_walk()).order_by(*engine._ranking(p))
        assert _sqlite_plan(walk).startswith("SEARCH building USING INDEX ix_building_status_rank")


@pytest.mark.parametrize(
    ("params", "place"),
    [
        ({"district": "诸暨市", "deal": "rent"}, "district"),
        ({"district": "诸暨市", "town": "暨阳街道", "grade": "甲级"}, "town"),
    ],
)
def test_a_places_page_walks_its_own_ranking_index(demo, params, place):
    """SQLite: a capped search's page walks the ranking of the smallest place named (the
    region's passed over every other place's buildings: page 50 of a small district, 33 ms),
    while its first matches are still read from the place's facets index, which tests the unit
    filters without reading a row; the walk finds the plain conditions' buildings in order."""
    from app.listings.services import resolve_places

    places, errors = resolve_places(params)
    assert not errors
    p = engine.plan(params, places, utcnow())
    walk = select(Building.id).where(*p.ranking_walk()).order_by(*engine._ranking(p))
    plain = select(Building.id).where(*p.where).order_by(*engine._ranking(p))
    assert list(db.session.scalars(walk)) == list(db.session.scalars(plain)) != []
    if db.engine.dialect.name == "sqlite":
        assert _sqlite_plan(walk).startswith(
            f"SEARCH building USING INDEX ix_building_{place}_rank (<expr>=? AND status=?)"
        )
        assert "TEMP B-TREE" not in _sqlite_plan(walk)
        scan = _sqlite_plan(engine._select(p, Building.id, Building.featured))
        assert scan.startswith(f"SEARCH building USING INDEX ix_building_{place}_facets")


def test_a_distance_search_with_a_grade_tests_it_in_the_grades_index(demo):
    """A distance search with a grade and unit filters looks the box's ids up in the grade's
    index on SQLite (the grade tested before a row is read), not every building of the grade
    in the region's index; the buildings are those of the plain conditions."""
    from app.listings.services import resolve_places

    station = place("诸暨站")
    params = {"near": f"{station.lat},{station.lon}", "radius_km": 40, "grade": "甲级"}
    params["deal"] = "rent"
    places, errors = resolve_places(params)
    assert not errors
    p = engine.plan(params, places, utcnow())
    plain = [Building.status == "published", *p.where[1:]]
    assert set(db.session.scalars(engine._select(p, Building.id))) == set(
        db.session.scalars(select(Building.id).where(*plain))
    )
    if db.engine.dialect.name == "sqlite":
        scan = _sqlite_plan(engine._select(p, Building.id))
        grade_then_id = "SEARCH building USING INDEX ix_building_grade (grade=? AND rowid=?)"
        assert scan.startswith(grade_then_id)


def test_a_distance_search_with_a_rare_keyword_is_led_by_its_matches(demo):
    """A rare keyword's few ids lead a distance search: each is read by id and tested against
    the box and the circle on its row, the box's ids are not looked up (SQLite took the box's
    thousands instead and tested each against the keyword: 18 ms for 39 matches in a dense 5 km
    box). The buildings, nearest first, are those of the same conditions led by the box: one
    just north of the box, which the circle's flat-earth cut alone would take, is left out."""
    from app.geo.distance import bounding_box
    from app.listings.services import resolve_places

    station = place("诸暨站")
    params = {"near": f"{station.lat},{station.lon}", "radius_km": 40, "q": "诸暨"}
    places, errors = resolve_places(params)
    assert not errors
    p = engine.plan(params, places, utcnow())
    assert p.rare
    matches = list(
        db.session.scalars(select(Building).where(*p.building_conditions[:1], p.keyword))
    )
    outside = matches[0]
    outside.lat = bounding_box(station.lat, station.lon, 40)[1] + 0.001
    outside.lon = station.lon
    db.session.commit()
    here = (station.lat, station.lon)
    km = {b.id: km_between(here, (b.lat, b.lon)) for b in matches}
    assert km[outside.id] > 40
    found = set(db.session.scalars(engine._select(p, Building.id)))
    boxed = [c for c in p.where if c is not p.keyword]  # the box leads: the R*Tree or lat/lon
    assert found == set(db.session.scalars(select(Building.id).where(*boxed, p.keyword)))
    assert outside.id not in found
    assert found and {i for i, d in km.items() if d < 39.9} <= found  # the circle's edge is
    assert found <= {i for i, d in km.items() if d < 40.1}  # a flat-earth approximation
    result = engine.search(params, map_limit=0)
    shown = [km[c.building.id] for c in result.cards]
    assert result.total == len(found) and shown == sorted(shown)
    if db.engine.dialect.name == "sqlite":
        scan = _sqlite_plan(engine._select(p, Building.id))
        assert scan.startswith("SEARCH building USING INTEGER PRIMARY KEY (rowid=?)")
        assert "building_rtree" not in scan


def test_which_of_some_buildings_match_a_keyword(demo):
    from app.listings import fulltext

    everyone = list(db.session.scalars(select(Building.id)))
    matching = set(db.session.execute(fulltext.matching_ids(db.session, "次坞")).scalars())
    assert matching and len(matching) < len(everyone)
    assert fulltext.matching_among(db.session, "次坞", everyone) == matching
    assert fulltext.matching_among(db.session, "次坞", everyone[:3]) == matching & set(everyone[:3])
    assert fulltext.matching_among(db.session, "次坞", []) == set()


# -- keywords on PostgreSQL: runs of characters ----------------------------------------------


def test_grams_are_the_runs_of_two_to_four_characters():
    from app.listings import fulltext

    assert fulltext.grams("次 坞 镇 a1 临 杭") == "临杭 坞镇 次坞 次坞镇"
    assert fulltext.grams("诸 暨 经 济 开") == " ".join(
        sorted(
            ["诸暨", "暨经", "经济", "济开", "诸暨经", "暨经济", "经济开", "诸暨经济", "暨经济开"]
        )
    )
    assert fulltext.grams("a 5 b") == "" and fulltext.grams("") == ""


def _phrase_matches(term: str) -> set[int]:
    """The buildings whose index text holds the term's tokens side by side, found in Python."""
    from app.listings import fulltext

    wanted = fulltext.tokens(term)
    found = set()
    for b in db.session.scalars(select(Building)):
        have = fulltext.document(b).split()
        if any(have[i : i + len(wanted)] == wanted for i in range(len(have))):
            found.add(b.id)
    return found


@pytest.mark.parametrize(
    "term", ["次坞", "产业园", "临杭产业", "临杭产业园", "次坞镇临杭产业园", "园区", "坞临", "1号"]
)
def test_a_keyword_term_matches_its_characters_side_by_side(demo, term):
    """Whatever the engine and however long the term (one gram, grams narrowing a phrase, or a
    phrase alone), the matches are the buildings whose text has the term's characters in a row."""
    from app.listings import fulltext

    expected = _phrase_matches(term)
    matching = set(db.session.execute(fulltext.matching_ids(db.session, term)).scalars())
    assert matching == expected
    everyone = list(db.session.scalars(select(Building.id)))
    assert fulltext.matching_among(db.session, term, everyone) == expected


def test_a_keywords_first_ids_are_its_matches_up_to_the_limit(demo):
    from app.listings import fulltext

    expected = _phrase_matches("产业园")
    ids = fulltext.first_ids(db.session, "产业园", len(expected) + 5)
    assert set(ids) == expected
    capped = fulltext.first_ids(db.session, "产业园", 1)
    assert len(capped) == min(2, len(expected)) and set(capped) <= expected


def test_two_terms_match_buildings_with_both(demo):
    from app.listings import fulltext

    both = set(db.session.execute(fulltext.matching_ids(db.session, "次坞 临杭产业园")).scalars())
    assert both and both == _phrase_matches("次坞") & _phrase_matches("临杭产业园")


def test_the_migration_fills_grams_as_the_app_writes_them(demo):
    """Migration 0008 computes the grams of existing rows in SQL; they must be the app's."""
    import importlib.util
    from pathlib import Path

    from sqlalchemy import text

    if db.engine.dialect.name != "postgresql":
        # FTS5 keeps positions: SQLite's index gets no grams.
        assert list(db.session.execute(text("SELECT * FROM building_fts LIMIT 0")).keys()) == [
            "body"
        ]
        return
    path = Path(__file__).parent.parent / "migrations" / "versions" / "0008_fulltext_grams.py"
    spec = importlib.util.spec_from_file_location("migration_0008", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    rows = text("SELECT building_id, grams::text FROM building_fts ORDER BY 1")
    written = db.session.execute(rows).all()
    assert any(grams for _, grams in written)
    db.session.execute(text("UPDATE building_fts SET grams = ''"))
    db.session.execute(text(migration.FILL))
    assert db.session.execute(rows).all() == written


def test_plain_rows_are_the_rows_sqlalchemy_would_give(demo):
    """The fast path for ids and numbers returns what the ORM would, as plain tuples."""
    from sqlalchemy import text

    from app.models.base import plain_rows

    query = select(Building.id, Building.name, Building.lat).order_by(Building.id)
    assert plain_rows(db.session, query) == [tuple(r) for r in db.session.execute(query)]
    sql = text("SELECT id FROM building WHERE id > :low ORDER BY id")
    assert plain_rows(db.session, sql, {"low": 2}) == [
        (i,)
        for i in db.session.scalars(
            select(Building.id).where(Building.id > 2).order_by(Building.id)
        )
    ]


def test_the_unit_probe_reads_the_unit_index_alone(demo):
    """Every column the unit filters test is in the index the per-building probe uses, so no
    unit row is read (SQLite says so in its plan)."""
    from sqlalchemy import inspect, text

    params = {"deal": "rent", "rent_min": 1, "rent_max": 3, "area_min": 50, "area_max": 900}
    params["decoration"] = "精装"
    conditions = engine.unit_conditions(params, utcnow())
    tested = {c.name for condition in conditions for c in condition.left.base_columns}
    index = next(
        i for i in inspect(db.engine).get_indexes("unit") if i["name"] == "ix_unit_building_status"
    )
    assert index["column_names"][0] == "building_id"
    assert tested <= set(index["column_names"])
    if db.engine.dialect.name == "sqlite":
        probe = engine.plan(params, {}, utcnow()).where[-1]
        sql = (
            select(Building.id)
            .where(probe)
            .compile(db.engine, compile_kwargs={"literal_binds": True})
        )
        plan = " ".join(row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
        assert "COVERING INDEX ix_unit_building_status" in plan


@pytest.mark.parametrize(
    ("radius", "extra", "index_first"),
    [
        (2, {"grade": "甲级"}, True),
        (8, {"grade": "甲级"}, True),
        (40, {}, True),
        (40, {"deal": "rent"}, False),  # units tested: the whole box is read, in id order
        (40, {"q": "诸暨"}, False),  # the keyword's ids start the scan
    ],
)
def test_a_distance_search_on_building_columns_reads_the_spatial_index_first(
    demo, radius, extra, index_first
):
    """A distance search that tests only the buildings' own columns reads, on SQLite, the
    circle's box from its R*Tree first, in a join; the buildings are those the plain conditions
    give whichever way they are read."""
    from sqlalchemy import text

    from app.listings.services import resolve_places

    station = place("诸暨站")
    params = {"near": f"{station.lat},{station.lon}", "radius_km": radius, **extra}
    places, errors = resolve_places(params)
    assert not errors
    p = engine.plan(params, places, utcnow())
    plain = set(db.session.scalars(select(Building.id).where(*p.where)))
    query = engine._select(p, Building.id)
    assert set(db.session.scalars(query)) == plain
    if radius == 40:
        assert len(plain) > 3
    if db.engine.dialect.name == "sqlite":
        sql = query.compile(db.engine, compile_kwargs={"literal_binds": True})
        steps = [row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
        assert ("building_rtree" in steps[0]) == index_first
