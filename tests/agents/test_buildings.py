"""Posting and editing buildings: Chinese validation, the point from address or pin, publishing."""

from __future__ import annotations

from datetime import date

import pytest
from geopy.exc import GeocoderTimedOut
from shapely.geometry import Point, shape
from sqlalchemy import func, select

from app.extensions import db
from app.geo.distance import km_between
from app.geo.geocode import NetworkGeocoder
from app.models import Building
from tests.agents.test_geocode import FakeGeopy
from tests.factories import BuildingFactory

GOOD = {
    "name": "次坞智造中心",
    "address": "诸暨市次坞镇次坞大道 88 号",
    "grade": "乙级",
    "floors": "12",
    "year_built": "2019",
    "property_fee": "4.5",
    "efficiency_pct": "78",
    "description": "临杭产业园旁的研发办公楼",
    "lat": "",
    "lon": "",
    "pin": "",
}


def post_new(client, **changes):
    return client.post("/agent/buildings/new", data={**GOOD, **changes})


def count_buildings() -> int:
    return db.session.scalar(select(func.count()).select_from(Building))


def test_new_building_form_has_the_pin_map(as_owner):
    page = as_owner.get("/agent/buildings/new").get_data(as_text=True)
    assert 'id="pin-map"' in page and "/static/js/pin.js" in page
    assert "/vendor/leaflet/leaflet.js" in page
    assert 'type="hidden"' in page and 'id="lat"' in page and 'id="lon"' in page
    assert "物业费（元/㎡/月）" in page and "得房率（%）" in page
    assert "onclick" not in page


def test_post_building_geocodes_the_address_offline(as_owner, gazetteer, people):
    response = post_new(as_owner)
    assert response.status_code == 302
    building = db.session.scalar(select(Building))
    assert building.owner == people["owner"] and building.status == "draft"
    assert (building.point_source, building.point_precision) == ("gazetteer", "town")
    assert (building.lat, building.lon) == (gazetteer["ciwu"].lat, gazetteer["ciwu"].lon)
    assert building.town.name == "次坞镇" and building.district.name == "诸暨市"
    # A park only where its boundary holds the point or its own radius reaches it.
    park, point = building.park, Point(building.lon, building.lat)
    if park is not None:
        boundary = park.place.boundary
        within = km_between((building.lat, building.lon), (park.place.lat, park.place.lon))
        assert (boundary and shape(boundary).contains(point)) or within <= (park.radius_km or 0)
    page = as_owner.get(response.headers["Location"]).get_data(as_text=True)
    assert "次坞镇" in page and "地名库" in page and "data-map-points" in page


def test_old_town_names_find_the_new_town(as_owner, gazetteer):
    post_new(as_owner, address="诸暨市直埠镇工业大道 5 号")
    assert db.session.scalar(select(Building)).town.name == "姚江镇"


def test_a_pin_wins_over_the_geocoder(as_owner, gazetteer):
    response = post_new(as_owner, lat="29.7950", lon="120.1900", pin="1")
    assert response.status_code == 302
    building = db.session.scalar(select(Building))
    assert (building.lat, building.lon) == (29.795, 120.19)
    assert building.point_source == "pin"
    assert building.town.name != "次坞镇"


def test_coordinates_without_the_pin_flag_do_not_override_the_address(as_owner, gazetteer):
    post_new(as_owner, lat="29.7950", lon="120.1900", pin="")
    building = db.session.scalar(select(Building))
    assert building.point_source == "gazetteer" and building.town.name == "次坞镇"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "请输入楼盘名称"),
        ({"name": "楼" * 101}, "不超过 100 个字"),
        ({"address": ""}, "请输入地址"),
        ({"grade": "丁级"}, "请选择有效的选项"),
        ({"grade": ""}, "请选择等级"),
        ({"floors": "0"}, "楼层须在 1 到 200 之间"),
        ({"floors": "201"}, "楼层须在 1 到 200 之间"),
        ({"floors": "十二"}, "请输入整数"),
        ({"year_built": "1949"}, "建成年份须在 1950 到"),
        ({"year_built": str(date.today().year + 1)}, "建成年份须在 1950 到"),
        ({"property_fee": "-1"}, "物业费须在 0 到 100 元/㎡/月之间"),
        ({"property_fee": "101"}, "物业费须在 0 到 100 元/㎡/月之间"),
        ({"property_fee": "nan"}, "请输入数字"),
        ({"property_fee": "abc"}, "请输入数字"),
        ({"efficiency_pct": "0"}, "得房率须在 1% 到 100% 之间"),
        ({"efficiency_pct": "100.5"}, "得房率须在 1% 到 100% 之间"),
        ({"efficiency_pct": "inf"}, "请输入数字"),
        ({"description": "字" * 5001}, "介绍不超过 5000 个字"),
        ({"lat": "39.9", "lon": "116.4", "pin": "1"}, "图钉位置不在绍兴、杭州一带"),
        ({"address": "火星某地 1 号"}, "未能从地址识别位置"),
    ],
)
def test_bad_building_input_is_refused_beside_the_field(as_owner, gazetteer, changes, message):
    response = post_new(as_owner, **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page and "invalid-feedback" in page
    assert count_buildings() == 0
    # What the agent typed is still there.
    if changes.get("name", GOOD["name"]) == GOOD["name"]:
        assert GOOD["name"] in page


def test_optional_figures_may_be_blank(as_owner, gazetteer):
    response = post_new(as_owner, floors="", year_built="", property_fee="", efficiency_pct="")
    assert response.status_code == 302
    building = db.session.scalar(select(Building))
    assert building.floors is None and building.property_fee is None


def test_network_geocoder_timeout_falls_back_and_keeps_the_form(as_owner, gazetteer, monkeypatch):
    fake = FakeGeopy(error=GeocoderTimedOut("slow"))
    monkeypatch.setattr(
        "app.agent.building_views.geocoder", lambda: NetworkGeocoder(fake, "nominatim")
    )
    response = post_new(as_owner)
    assert response.status_code == 302 and fake.calls
    building = db.session.scalar(select(Building))
    assert building.point_source == "gazetteer" and building.town.name == "次坞镇"
    # Nothing found anywhere: the form comes back with everything typed and a message.
    response = post_new(as_owner, name="无名楼", address="无名路 1 号", description="保留这段")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "无名楼" in page and "无名路 1 号" in page and "保留这段" in page
    assert "未能从地址识别位置" in page


def test_edit_keeps_the_point_until_the_address_changes(as_owner, gazetteer, people):
    building = BuildingFactory(
        owner=people["owner"], lat=29.9, lon=120.1, point_source="pin", address="次坞镇 1 号"
    )
    db.session.commit()
    url = f"/agent/buildings/{building.id}/edit"
    page = as_owner.get(url).get_data(as_text=True)
    assert 'value="1"' in page  # the pin flag stays set for a pinned building
    data = {**GOOD, "name": "改名大厦", "address": "次坞镇 1 号", "lat": "", "lon": "", "pin": ""}
    assert as_owner.post(url, data=data).status_code == 302
    assert (building.name, building.lat, building.point_source) == ("改名大厦", 29.9, "pin")
    data["address"] = "诸暨市店口镇解放路 10 号"
    assert as_owner.post(url, data=data).status_code == 302
    assert building.town.name == "店口镇" and building.point_source == "gazetteer"


def test_publish_and_withdraw(as_owner, building):
    assert as_owner.post(f"/agent/buildings/{building.id}/publish").status_code == 302
    assert building.status == "published"
    assert as_owner.post(f"/agent/buildings/{building.id}/withdraw").status_code == 302
    assert building.status == "draft"


def test_agent_cannot_republish_a_hidden_building(as_owner, building):
    building.status = "hidden"
    db.session.commit()
    response = as_owner.post(f"/agent/buildings/{building.id}/publish")
    assert response.status_code == 409
    assert "已被管理员隐藏" in response.get_data(as_text=True)
    assert building.status == "hidden"


def test_geocode_preview_answers_json(as_owner, gazetteer):
    data = as_owner.get("/agent/geocode", query_string={"address": "诸暨市次坞镇"}).get_json()
    assert data["found"] and data["town"] == "次坞镇" and data["precision"] == "town"
    data = as_owner.get("/agent/geocode", query_string={"address": "火星"}).get_json()
    assert data == {"found": False, "message": "未能识别该地址，请在地图上点选位置。"}
