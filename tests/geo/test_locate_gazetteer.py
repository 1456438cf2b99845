"""Placing against the reference gazetteer and its county boundaries (app.places)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.geo.locate import locate
from app.models import Place, PlaceKind
from app.places import gazetteer


@pytest.fixture
def places(app) -> dict[str, Place]:
    gazetteer.load()
    db.session.commit()
    return {p.name: p for p in db.session.scalars(select(Place))}


def test_a_point_in_shengzhou_gets_shengzhou_and_its_town(places):
    sanjiang = places["三江街道"]
    found = locate(sanjiang.lat, sanjiang.lon)
    assert found.district.name == "嵊州市" and found.district.in_region
    assert found.town == sanjiang


def test_a_point_in_xiaoshan_gets_xiaoshan_outside_the_region_and_no_town(places):
    found = locate(30.167, 120.259)
    assert found.district.name == "萧山区" and not found.district.in_region
    assert found.town is None and found.park is None


def test_every_town_centre_is_placed_in_its_own_district_and_town(places):
    towns = [p for p in places.values() if p.kind == PlaceKind.TOWN and p.in_region]
    assert len(towns) >= 100
    wrong = [
        (t.name, t.parent.name, locate(t.lat, t.lon).district)
        for t in towns
        if (locate(t.lat, t.lon).district, locate(t.lat, t.lon).town) != (t.parent, t)
    ]
    assert wrong == []


def test_the_sea_is_in_no_district(places):
    found = locate(30.30, 121.30)  # 杭州湾, north of 上虞
    assert (found.district, found.town) == (None, None)
