"""A building page sets its asking rent against its town's and its park's median."""

from __future__ import annotations

import re
import statistics

import pytest
from sqlalchemy import select

from app.extensions import db
from app.market import figures
from app.market.compare import Comparison
from app.models import Building, Place, Unit
from tests.factories import BuildingFactory, UnitFactory

SAYS = re.compile(r'<div class="rent-compare">([^（]+)（<a href="([^"]+)">([^<]+)</a> ([\d.]+) 元')


def comparisons(client, building: Building) -> dict[str, tuple[str, str, str]]:
    """What the building page says: place name -> (the comparison, its link, its median)."""
    page = client.get(f"/listings/{building.id}").get_data(as_text=True)
    return {name: (text.strip(), href, median) for text, href, name, median in SAYS.findall(page)}


def expected(building: Building, place: Place, scope: str) -> str:
    rents = [
        round(u.rent_per_m2_day, 2)
        for u in building.units
        if u.status == "available" and u.deal == "rent" and u.rent_per_m2_day is not None
    ]
    median = figures.for_place(place.id).rent_median
    return Comparison(scope, place.name, "", median, statistics.median(rents) / median - 1).text


@pytest.fixture
def in_park(demo) -> Building:
    """A published building of 次坞镇 inside 临杭产业园, with units to let."""
    town = db.session.scalar(select(Place).where(Place.name == "次坞镇"))
    return db.session.scalar(
        select(Building)
        .where(Building.town_id == town.id, Building.park_id.is_not(None))
        .where(Building.status == "published")
        .where(Building.units.any((Unit.deal == "rent") & (Unit.status == "available")))
        .order_by(Building.id)
        .limit(1)
    )


def test_a_building_in_a_park_compares_with_its_town_and_its_park(client, in_park):
    said = comparisons(client, in_park)
    town, park = in_park.town, in_park.park
    assert set(said) == {town.name, park.place.name}
    assert said[town.name][0] == expected(in_park, town, "镇街")
    assert said[town.name][1] == f"/places/{town.slug}"
    assert said[town.name][2] == f"{figures.for_place(town.id).rent_median:.2f}"
    assert said[park.place.name][0] == expected(in_park, park.place, "园区")
    assert said[park.place.name][1] == f"/parks/{park.slug}"
    for text, _href, _median in said.values():
        assert re.fullmatch(r"(高于|低于)(镇街|园区)均价 \d+%|与(镇街|园区)均价持平", text)


def test_a_dearer_building_reads_higher_and_a_cheaper_one_lower(client, in_park):
    town_median = figures.for_place(in_park.town_id).rent_median
    for unit in in_park.units:
        if unit.deal == "rent" and unit.status == "available":
            unit.rent_per_m2_day = round(town_median * 3, 2)
    db.session.commit()
    said = comparisons(client, in_park)[in_park.town.name][0]
    assert said.startswith("高于镇街均价 ") and said == expected(in_park, in_park.town, "镇街")
    for unit in in_park.units:
        if unit.deal == "rent" and unit.status == "available":
            unit.rent_per_m2_day = round(town_median / 3, 2)
    db.session.commit()
    said = comparisons(client, in_park)[in_park.town.name][0]
    assert said.startswith("低于镇街均价 ") and said == expected(in_park, in_park.town, "镇街")


def test_a_town_with_too_few_units_is_not_compared(client, demo):
    wuxie = db.session.scalar(select(Place).where(Place.name == "五泄镇"))
    building = BuildingFactory(town=wuxie, district=wuxie.parent, status="published")
    UnitFactory(building=building, rent_per_m2_day=1.2)
    UnitFactory(building=building, rent_per_m2_day=1.4)
    db.session.commit()
    assert not figures.for_place(wuxie.id).enough
    page = client.get(f"/listings/{building.id}").get_data(as_text=True)
    assert "挂牌租金中位数 <strong>1.30</strong> 元/㎡/天（2 套）" in page
    assert "rent-compare" not in page and "均价" not in page


def test_a_building_with_nothing_to_let_says_nothing_of_rents(client, in_park):
    for unit in in_park.units:
        unit.status = "leased"
    db.session.commit()
    page = client.get(f"/listings/{in_park.id}").get_data(as_text=True)
    assert "挂牌租金中位数" not in page and "均价" not in page


@pytest.mark.parametrize(
    ("difference", "text"),
    [
        (0.12, "高于镇街均价 12%"),
        (-0.05, "低于镇街均价 5%"),
        (0.0099, "与镇街均价持平"),
        (-0.0099, "与镇街均价持平"),
        (0.01, "高于镇街均价 1%"),
    ],
)
def test_how_a_comparison_reads(difference, text):
    assert Comparison("镇街", "次坞镇", "/places/ciwu", 1.0, difference).text == text
