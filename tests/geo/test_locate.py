"""Placing a point: its district and town by boundary, its park only by boundary or own radius."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.geo.distance import km_between
from app.geo.locate import locate, parks_near, place_all_buildings, towns_for
from app.models import PlaceKind
from tests.factories import BuildingFactory
from tests.geo.places import box, make_place, toy_map


@pytest.fixture
def toy(app):
    return toy_map()


def names(found) -> tuple:
    return tuple(x.name if x else None for x in (found.district, found.town, found.park))


def test_a_point_near_a_park_but_outside_its_boundary_gets_no_park(toy):
    point = (29.70, 120.265)  # 1.4 km east of 甲东产业园's centre, 500 m past its edge
    assert km_between(point, (29.70, 120.25)) < 3.0  # the old default distance would claim it
    assert names(locate(*point)) == ("甲市", "甲东街道", None)
    assert names(locate(29.70, 120.255)) == ("甲市", "甲东街道", "甲东产业园")


def test_a_park_claims_points_within_its_own_radius_only(toy):
    assert locate(29.759, 120.20).park == toy.radius_park  # 1 km from its centre
    assert locate(29.777, 120.20).park is None  # 3 km
    # A park with neither a boundary nor a radius claims nothing, even at its centre.
    assert locate(29.65, 120.20).park is None


def test_the_district_is_the_boundary_that_holds_the_point(toy):
    # Nearer 甲东街道's centre (5.0 km) than 乙南镇's (5.6 km), but inside 乙县.
    assert names(locate(29.70, 120.302)) == ("乙县", "乙南镇", None)
    assert names(locate(29.70, 120.298)) == ("甲市", "甲东街道", None)


def test_the_town_is_its_boundary_where_known_else_the_nearest_centre(toy):
    # Inside 甲西镇's boundary, though 甲东街道's centre is nearer.
    assert names(locate(29.70, 120.215))[:2] == ("甲市", "甲西镇")
    assert names(locate(29.70, 120.225))[:2] == ("甲市", "甲东街道")


def test_a_point_outside_the_region_gets_its_district_and_no_town(toy):
    found = locate(29.90, 120.20)
    assert found.district == toy.bing and not found.district.in_region
    assert found.town is None and found.park is None


def test_a_point_in_no_known_district_gets_none(toy):
    assert names(locate(29.20, 120.20)) == (None, None, None)


def test_changing_a_boundary_is_seen_by_the_next_point(toy):
    assert locate(29.90, 120.20).district == toy.bing
    toy.bing.boundary = box(31.0, 121.0, 0.1)
    db.session.commit()
    assert locate(29.90, 120.20).district is None


def test_what_an_agent_may_choose(toy):
    assert [t.name for t in towns_for(toy.jia)] == sorted(["甲东街道", "甲西镇"])
    assert towns_for(toy.bing) == [] and towns_for(None) == []
    # Centres within PARK_CHOICE_KM (5 km), nearest first: 甲东产业园 1.4 km (甲北孵化器 and
    # 甲南小镇 8.4 km); then 甲东产业园 2.9 km and 甲北孵化器 4.4 km (甲南小镇 8.3 km).
    assert [p.name for p in parks_near(29.70, 120.265)] == ["甲东产业园"]
    assert [p.name for p in parks_near(29.72, 120.23)] == ["甲东产业园", "甲北孵化器"]


def test_place_all_buildings_places_again_and_keeps_plausible_choices(toy):
    stale = BuildingFactory(lat=29.70, lon=120.302)  # in 乙县, not yet placed
    kept = BuildingFactory(lat=29.70, lon=120.265, town=toy.jia_west, town_fixed=True)
    dropped = BuildingFactory(lat=29.70, lon=120.35, town=toy.jia_west, town_fixed=True)
    no_park = BuildingFactory(lat=29.70, lon=120.255, park_fixed=True)  # "in no park"
    db.session.commit()
    assert place_all_buildings() == 4
    db.session.commit()
    assert (stale.district, stale.town, stale.town_fixed) == (toy.yi, toy.yi_south, False)
    assert (kept.district, kept.town, kept.town_fixed) == (toy.jia, toy.jia_west, True)
    assert (dropped.district, dropped.town, dropped.town_fixed) == (toy.yi, toy.yi_south, False)
    assert no_park.park is None and no_park.park_fixed
    assert place_all_buildings() == 0  # idempotent


def test_a_district_without_an_outline_is_found_by_its_nearest_town_centre(toy):
    ding = make_place("丁县", PlaceKind.DISTRICT, 29.30, 120.20)  # no boundary known
    make_place("丁北镇", PlaceKind.TOWN, 29.35, 120.20, ding)
    db.session.commit()
    assert names(locate(29.33, 120.21)) == ("丁县", "丁北镇", None)
    # South of 甲市, nearest 乙南镇's centre but outside every known outline: no district.
    assert names(locate(29.59, 120.25)) == (None, None, None)
