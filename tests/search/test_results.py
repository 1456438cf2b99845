"""The tenant search's results: every filter, sort and bad value; Chinese keywords; distance;
the API; what the buildings' summaries of their units let a search pass over."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.geo.distance import km_between
from app.listings import facets, fulltext
from app.listings.search import search
from app.listings.services import unit_conditions
from app.models import Building, Unit
from app.models.base import utcnow
from tests.search.support import building, ids, page_total, pages, place, total


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
    assert search({"deal": "rent"}).total == total(client, "deal=rent")


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
    fulltext.clear(db.session)
    db.session.commit()
    assert total(client, "q=次坞") == 0
    result = runner.invoke(args=["search", "reindex"])
    assert "搜索索引已重建" in result.output
    assert total(client, "q=次坞") > 0


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
        found = set(pages(params, per_page=50))
        conditions = unit_conditions(params, now)
        by_units = set(
            db.session.scalars(
                select(Unit.building_id)
                .join(Building)
                .where(Building.status == "published", *conditions)
            )
        )
        assert found == by_units, params


def test_a_buildings_kinds_of_unit_follow_its_units(demo):
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
            .where(Building.status == "published", *unit_conditions(params, now))
        )
    )
    assert set(pages(params, per_page=50)) == by_units
