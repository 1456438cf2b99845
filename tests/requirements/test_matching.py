"""Which requirements a unit meets (requirements_for_unit) and which an agent's units meet
(agent_matches): each rule at its edges, and both directions against a plain reading of the
rules over a random market."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from app.extensions import db
from app.models.base import utcnow
from app.requirements import services
from app.requirements.matching import MONTH_DAYS, agent_matches, requirements_for_unit
from tests.factories import AgentFactory
from tests.requirements.conftest import building_in, requirement, unit_in


def matches(unit) -> list[int]:
    db.session.flush()
    return requirements_for_unit(db.session, unit.id)


def test_a_unit_meets_the_requirements_naming_its_town_district_or_park(where):
    unit = unit_in(building_in(where.ciwu, where.park))
    town = requirement([where.ciwu])
    district = requirement([where.zhuji])
    park = requirement(parks=[where.park])
    anywhere = requirement()
    both = requirement([where.ciwu, where.zhuji])  # found twice, listed once
    requirement([where.diankou])
    requirement([where.keqiao])
    requirement(parks=[where.other_park])
    assert matches(unit) == sorted([town.id, district.id, park.id, anywhere.id, both.id])


def test_a_building_without_places_meets_only_region_wide_requirements(where):
    unit = unit_in(building_in(None))
    anywhere = requirement()
    requirement([where.ciwu])
    assert matches(unit) == [anywhere.id]


@pytest.mark.parametrize(
    ("area", "low", "high", "meets"),
    [
        (200, 200, 300, True),  # bounds are inclusive
        (300, 200, 300, True),
        (199.9, 200, 300, False),
        (300.1, 200, 300, False),
        (5000, 200, None, True),  # an open end asks nothing
        (10, None, 300, True),
    ],
)
def test_area_within_the_range(where, area, low, high, meets):
    unit = unit_in(building_in(where.ciwu), area=area)
    wanted = requirement([where.ciwu], area_min=low, area_max=high)
    assert matches(unit) == ([wanted.id] if meets else [])


@pytest.mark.parametrize(
    ("rent", "low", "high", "meets"),
    [
        (1.5, 1.0, 1.5, True),
        (1.51, 1.0, 1.5, False),
        (0.99, 1.0, 1.5, False),
        (None, None, 2.0, False),  # no rent quoted meets no budget
        (None, None, None, True),  # ... but a requirement without one
    ],
)
def test_a_daily_budget_is_per_square_metre(where, rent, low, high, meets):
    unit = unit_in(building_in(where.ciwu), rent=rent)
    wanted = requirement([where.ciwu], budget_min=low, budget_max=high)
    assert matches(unit) == ([wanted.id] if meets else [])


def test_a_monthly_budget_is_thirty_days_of_the_whole_unit(where):
    # 200 ㎡ at 1.5 元/㎡/天: 9,000 元 over 30 days, 9,125 元 over the average month.
    unit = unit_in(building_in(where.ciwu), area=200, rent=1.5)
    assert MONTH_DAYS == 30
    at_budget = requirement([where.ciwu], budget_unit="month", budget_max=9000)
    requirement([where.ciwu], budget_unit="month", budget_max=8999)
    requirement([where.ciwu], budget_unit="month", budget_min=9001)
    # The daily figure is not read as a monthly one, nor the other way round.
    requirement([where.ciwu], budget_unit="day", budget_max=1.4)
    assert matches(unit) == [at_budget.id]


def test_the_grade_asked_for(where):
    unit = unit_in(building_in(where.ciwu, grade="甲级"))
    a = requirement([where.ciwu], grade="甲级")
    any_grade = requirement([where.ciwu], grade=None)
    requirement([where.ciwu], grade="乙级")
    assert matches(unit) == sorted([a.id, any_grade.id])


def test_closed_and_expired_requirements_are_met_by_nothing(where):
    unit = unit_in(building_in(where.ciwu))
    open_one = requirement([where.ciwu], days_ago=29.9)
    requirement([where.ciwu], days_ago=30.1)  # expired
    services.close(requirement([where.ciwu]))
    services.close(requirement())
    assert matches(unit) == [open_one.id]


@pytest.mark.parametrize(
    "change",
    [
        {"status": "leased"},
        {"status": "reserved"},
        {"deal": "sale", "rent": None, "price_per_m2": 9000},
        {"confirmed_at": utcnow() - timedelta(days=91)},  # left the public search
    ],
)
def test_a_unit_that_is_not_public_and_for_rent_meets_nothing(where, change):
    unit = unit_in(building_in(where.ciwu), **change)
    requirement([where.ciwu])
    requirement()
    assert matches(unit) == []


@pytest.mark.parametrize("status", ["draft", "hidden"])
def test_a_unit_of_an_unpublished_building_meets_nothing(where, status):
    unit = unit_in(building_in(where.ciwu, status=status))
    requirement([where.ciwu])
    requirement()
    assert matches(unit) == []


def test_no_such_unit_meets_nothing(app):
    assert requirements_for_unit(db.session, 2**31 - 1) == []


# -- both directions against the rules read plainly -----------------------------------------


def _meets(req, unit, building) -> bool:
    """The module docstring's rules, one unit and one requirement at a time."""
    if services.state(req) != "open":
        return False
    if unit.status != "available" or unit.deal != "rent" or building.status != "published":
        return False
    names = {(p.place_id, p.park_id) for p in req.places}
    places = {(building.town_id, None), (building.district_id, None), (None, building.park_id)}
    if not req.anywhere and not names & places:
        return False
    if req.area_min is not None and unit.area_m2 < req.area_min:
        return False
    if req.area_max is not None and unit.area_m2 > req.area_max:
        return False
    if req.grade and building.grade != req.grade:
        return False
    if req.budget_min is None and req.budget_max is None:
        return True
    if unit.rent_per_m2_day is None:
        return False
    price = unit.rent_per_m2_day
    if req.budget_unit == "month":
        price = price * unit.area_m2 * 30
    low_ok = req.budget_min is None or price >= req.budget_min
    return low_ok and (req.budget_max is None or price <= req.budget_max)


def test_both_directions_agree_with_the_rules_over_a_random_market(where):
    rng = random.Random(18)
    towns = [where.ciwu, where.diankou, None]
    parks = [where.park, where.other_park, None]
    agents = [AgentFactory() for _ in range(4)]
    units = []
    for _ in range(40):
        building = building_in(
            rng.choice(towns),
            rng.choice(parks),
            owner=rng.choice(agents),
            grade=rng.choice(["甲级", "乙级"]),
            status=rng.choice(["published"] * 4 + ["draft"]),
        )
        units.append(
            unit_in(
                building,
                area=rng.choice([80, 150, 200, 320, 600]),
                rent=rng.choice([None, 0.9, 1.2, 1.5, 2.4]),
                status=rng.choice(["available"] * 4 + ["leased"]),
            )
        )
    requirements = []
    for _ in range(60):
        chosen = rng.sample(
            [where.ciwu, where.diankou, where.zhuji, where.keqiao], rng.randint(0, 2)
        )
        low = rng.choice([None, 100, 200])
        unit = rng.choice(["day", "month"])
        budget = [None, 1.2, 1.6] if unit == "day" else [None, 8000, 15000, 40000]
        requirements.append(
            requirement(
                chosen,
                rng.sample([where.park, where.other_park], rng.randint(0, 1)),
                area_min=low,
                area_max=rng.choice([None, 300, 700]),
                budget_unit=unit,
                budget_max=rng.choice(budget),
                grade=rng.choice([None, "甲级"]),
                days_ago=rng.choice([0, 5, 31]),
            )
        )
    for req in rng.sample(requirements, 5):
        services.close(req)
    db.session.flush()
    expected = {
        unit.id: sorted(r.id for r in requirements if _meets(r, unit, unit.building))
        for unit in units
    }
    assert sum(map(len, expected.values())) > 40, "the market has matches to find"
    for unit in units:
        assert requirements_for_unit(db.session, unit.id) == expected[unit.id], unit
    for agent in agents:
        mine = {u.id for u in units if u.building.owner_id == agent.id}
        reverse = agent_matches(db.session, agent.id)
        wanted: dict[int, list[int]] = {}
        for unit_id in sorted(mine):
            for req_id in expected[unit_id]:
                wanted.setdefault(req_id, []).append(unit_id)
        assert reverse == {k: wanted[k] for k in reverse}
        assert set(reverse) == set(wanted)
        created = [db.session.get(type(requirements[0]), i).created_at for i in reverse]
        assert created == sorted(created, reverse=True), "newest first"


def test_one_requirement_for_an_agent_whether_open_or_not(where, agent):
    unit = unit_in(building_in(where.ciwu, owner=agent))
    closed = requirement([where.ciwu])
    services.close(closed)
    db.session.flush()
    assert agent_matches(db.session, agent.id) == {}
    assert agent_matches(db.session, agent.id, requirement_id=closed.id) == {closed.id: [unit.id]}
