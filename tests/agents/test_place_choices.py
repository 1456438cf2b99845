"""The agent sets or corrects a building's town and park: plausible choices only, kept through
a small move of the pin, dropped with a note when the pin leaves the district."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Building
from tests.factories import BuildingFactory
from tests.geo.places import toy_map

FORM = {
    "name": "甲东商务楼",
    "address": "甲市甲东路 1 号",
    "grade": "乙级",
    "floors": "12",
    "year_built": "2019",
    "property_fee": "4.5",
    "efficiency_pct": "78",
    "description": "",
    "pin": "1",
    "lat": "29.70",
    "lon": "120.265",
    "town_choice": "",
    "park_choice": "",
}


@pytest.fixture
def toy(app):
    return toy_map()


@pytest.fixture
def pinned(toy, people) -> Building:
    """A building pinned 1.4 km east of 甲东产业园's centre, outside its boundary."""
    found = BuildingFactory(
        owner=people["owner"],
        name=FORM["name"],
        address=FORM["address"],
        lat=29.70,
        lon=120.265,
        point_source="pin",
        district=toy.jia,
        town=toy.jia_east,
    )
    db.session.commit()
    return found


def edit(client, building, **changes):
    return client.post(f"/agent/buildings/{building.id}/edit", data={**FORM, **changes})


def stored(building) -> tuple:
    db.session.expire_all()
    b = db.session.get(Building, building.id)
    names = tuple(x.name if x else None for x in (b.district, b.town, b.park))
    return (b.name, b.lat, b.lon, *names, b.town_fixed, b.park_fixed)


def test_the_form_offers_the_district_towns_and_the_parks_near_the_pin(as_owner, pinned):
    page = as_owner.get(f"/agent/buildings/{pinned.id}/edit").get_data(as_text=True)
    assert "镇街" in page and "所属园区" in page
    assert page.count("按位置自动识别") == 2
    assert "甲东街道" in page and "甲西镇" in page
    assert "乙南镇" not in page  # the next district's town
    assert "甲东产业园" in page  # 1.4 km from its centre: a plausible correction
    assert "甲北孵化器" not in page and "甲南小镇" not in page  # 8.4 km
    assert "不属于任何园区" in page


def test_choosing_a_town_and_park_fixes_them_and_automatic_clears_them(as_owner, pinned, toy):
    response = edit(
        as_owner,
        pinned,
        town_choice=str(toy.jia_west.id),
        park_choice=str(toy.bounded_park.id),
    )
    assert response.status_code == 302
    assert stored(pinned)[3:] == ("甲市", "甲西镇", "甲东产业园", True, True)
    page = as_owner.get(f"/agent/buildings/{pinned.id}").get_data(as_text=True)
    assert "甲西镇" in page and "甲东产业园" in page
    form = as_owner.get(f"/agent/buildings/{pinned.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{toy.jia_west.id}">' in form
    assert edit(as_owner, pinned).status_code == 302
    assert stored(pinned)[3:] == ("甲市", "甲东街道", None, False, False)


def test_a_correction_survives_a_small_move_of_the_pin(as_owner, pinned, toy):
    chosen = {"town_choice": str(toy.jia_west.id), "park_choice": str(toy.bounded_park.id)}
    assert edit(as_owner, pinned, **chosen).status_code == 302
    response = edit(as_owner, pinned, lat="29.705", lon="120.27", **chosen)
    assert response.status_code == 302
    assert stored(pinned)[1:] == (29.705, 120.27, "甲市", "甲西镇", "甲东产业园", True, True)
    page = as_owner.get(response.headers["Location"]).get_data(as_text=True)
    assert "已改为按位置自动识别" not in page


def test_a_move_into_another_district_drops_the_town_and_says_so(as_owner, pinned, toy):
    chosen = {"town_choice": str(toy.jia_west.id), "park_choice": str(toy.bounded_park.id)}
    assert edit(as_owner, pinned, **chosen).status_code == 302
    # The browser sends back the choices it showed, now that the pin lies in 乙县.
    response = edit(as_owner, pinned, lat="29.70", lon="120.35", **chosen)
    assert response.status_code == 302
    assert stored(pinned)[3:] == ("乙县", "乙南镇", None, False, False)
    page = as_owner.get(response.headers["Location"]).get_data(as_text=True)
    assert "位置已移至乙县，原先指定的镇街“甲西镇”不在该区县内，已改为按位置自动识别。" in page
    assert "位置已远离原先指定的园区“甲东产业园”" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("town_choice", "yi_south", "所选镇街“乙南镇”不在该位置所在的甲市内"),
        ("park_choice", "radius_park", "所选园区“甲北孵化器”离该位置太远"),
        ("park_choice", "bare_park", "所选园区“甲南小镇”离该位置太远"),
        ("town_choice", "999999", "所选镇街不存在"),
        ("park_choice", "999999", "所选园区不存在"),
        ("town_choice", "abc", "请从列表中选择镇街"),
        ("town_choice", "99999999999999999999", "请从列表中选择镇街"),
        ("park_choice", "-1", "请从列表中选择园区"),
    ],
)
def test_an_implausible_choice_is_refused_and_nothing_changes(
    as_owner, pinned, toy, field, value, message
):
    before = stored(pinned)
    chosen = str(getattr(toy, value).id) if hasattr(toy, value) else value
    response = edit(as_owner, pinned, name="改过的名字", **{field: chosen})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored(pinned) == before


def test_a_town_cannot_be_chosen_for_a_point_in_no_known_district(as_owner, pinned, toy):
    response = edit(as_owner, pinned, lat="29.20", lon="120.20", town_choice=str(toy.jia_east.id))
    assert response.status_code == 422
    assert "该位置不在已知的区县内，无法指定镇街" in response.get_data(as_text=True)


def test_a_point_in_no_known_district_is_saved_and_the_agent_told(as_owner, pinned):
    response = edit(as_owner, pinned, lat="29.20", lon="120.20")
    assert response.status_code == 302
    assert stored(pinned)[3:6] == (None, None, None)
    page = as_owner.get(response.headers["Location"]).get_data(as_text=True)
    assert "该位置不在已知的区县范围内" in page


def test_a_new_building_may_be_given_its_town_with_its_pin(as_owner, toy):
    data = {**FORM, "town_choice": str(toy.jia_west.id)}
    response = as_owner.post("/agent/buildings/new", data=data)
    assert response.status_code == 302
    building = db.session.query(Building).one()
    assert (building.town, building.town_fixed, building.district) == (toy.jia_west, True, toy.jia)


def test_the_preview_names_the_district_or_says_there_is_none(as_owner, toy):
    answer = as_owner.get("/agent/geocode?address=甲东街道").get_json()
    assert (answer["district"], answer["town"]) == ("甲市", "甲东街道")


def test_an_office_in_jiyang_is_not_given_a_park_by_distance(as_owner, gazetteer):
    """The issue's case: 东二路66号 went public as 所属园区 2025创意产业园, 3 km from its centre."""
    data = {**FORM, "address": "诸暨市暨阳街道东二路66号", "pin": "", "lat": "", "lon": ""}
    response = as_owner.post("/agent/buildings/new", data=data)
    assert response.status_code == 302
    building = db.session.query(Building).one()
    assert (building.district.name, building.town.name) == ("诸暨市", "暨阳街道")
    assert building.park is None
    page = as_owner.get(response.headers["Location"]).get_data(as_text=True)
    assert "2025创意产业园" not in page
