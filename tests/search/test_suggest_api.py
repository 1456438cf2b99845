"""Suggestions as a tenant types (/api/suggest): characters, full pinyin and initials."""

from __future__ import annotations

from app.extensions import db
from tests.factories import BuildingFactory


def _names(client, q: str) -> list[str]:
    response = client.get("/api/suggest", query_string={"q": q})
    assert response.status_code == 200
    return [s["name"] for s in response.get_json()["suggestions"]]


def test_full_pinyin_and_initials_find_the_district(client, gazetteer):
    assert _names(client, "zhuji")[0] == "诸暨市"
    assert _names(client, "zj")[0] == "诸暨市"
    assert _names(client, "ZhuJi")[0] == "诸暨市"  # case and spaces do not matter
    assert _names(client, "zhu ji")[0] == "诸暨市"


def test_pinyin_finds_a_town_and_its_park(client, gazetteer):
    names = _names(client, "ciwu")
    assert names[:2] == ["次坞镇", "次坞镇临杭产业园"]  # the town before the park in it


def test_characters_find_places_and_parks_anywhere_in_the_name(client, gazetteer):
    names = _names(client, "次坞")
    assert names[0] == "次坞镇"
    assert "次坞镇临杭产业园" in names
    assert "次坞镇临杭产业园" in _names(client, "临杭")  # an alias's middle


def test_a_whole_name_ranks_before_a_beginning(client, gazetteer):
    response = client.get("/api/suggest", query_string={"q": "诸暨市"}).get_json()
    first = response["suggestions"][0]
    assert first["name"] == "诸暨市"
    assert first["kind"] == "district" and first["kind_name"] == "区县"


def test_a_town_says_its_district_and_links_to_its_search(client, gazetteer):
    town = next(
        s
        for s in client.get("/api/suggest?q=ciwuzhen").get_json()["suggestions"]
        if s["name"] == "次坞镇"
    )
    assert town["within"] == "诸暨市"
    assert town["kind_name"] == "镇街"
    assert client.get(town["url"]).status_code == 200


def test_places_outside_the_region_are_not_suggested(client, gazetteer):
    assert "萧山区" not in _names(client, "xiaoshan")
    assert "萧山区" not in _names(client, "萧山")


def test_buildings_by_the_characters_of_their_names(client, gazetteer):
    listed = BuildingFactory(name="暨阳科创大厦", status="published")
    BuildingFactory(name="暨阳草稿大厦", status="draft")
    db.session.commit()
    found = client.get("/api/suggest?q=暨阳").get_json()["suggestions"]
    buildings = [s for s in found if s["kind"] == "building"]
    assert [b["name"] for b in buildings] == ["暨阳科创大厦"]  # a draft is not suggested
    assert buildings[0]["url"] == f"/listings/{listed.id}"
    assert _names(client, "科创") == ["暨阳科创大厦"]  # the middle of a name


def test_like_wildcards_are_characters(client, gazetteer):
    BuildingFactory(name="百分大厦", status="published")
    db.session.commit()
    assert _names(client, "%") == []
    assert _names(client, "_") == []


def test_nothing_typed_nothing_suggested_and_a_long_query_is_refused(client, gazetteer):
    assert _names(client, "") == []
    assert _names(client, "   ") == []
    assert _names(client, "qqqqxxxx") == []
    response = client.get("/api/suggest", query_string={"q": "诸" * 51})
    assert response.status_code == 400
    assert "最多 50 个字" in response.get_json()["errors"]["q"][0]


def test_a_character_with_several_readings_is_found_by_each(client, gazetteer):
    assert "长乐镇" in _names(client, "changle")  # 长: chang here, zhang elsewhere
    assert "长乐镇" in _names(client, "clz")
