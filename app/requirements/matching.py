"""Which 求租 requirements a unit meets, both ways: the requirements a changed or new unit
matches (`requirements_for_unit`), and the requirements an agent's published units can meet,
with those units (`agent_matches`). docs/requirements.md has the rules and the indexes.

A unit meets a requirement when the unit is public (available, for rent, confirmed within
EXPIRED_AFTER, in a published building), its building lies in a place the requirement names
(its town, its district or its park; a requirement naming none takes the whole region), its
area is within the requirement's range, its building's grade is the one asked for (when one
is), and its rent is within the budget: per ㎡ per day as quoted, or for a monthly budget the
rent of 30 days (单价 × 面积 × 30, the month Chinese leases quote; the 365 / 12 average the unit
pages show is 1.4% more, which would refuse a unit quoted at the tenant's figure).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Float,
    Integer,
    Select,
    String,
    bindparam,
    case,
    literal,
    or_,
    select,
    true,
    union,
)
from sqlalchemy.orm import Session

from app.listings.services import EXPIRED_AFTER
from app.models import (
    Building,
    BuildingStatus,
    Requirement,
    RequirementPlace,
    RequirementStatus,
    Unit,
    UnitStatus,
)
from app.models.base import utcnow

MONTH_DAYS = 30  # a monthly budget is compared with 30 days' rent (the module's docstring)


def is_open(now: datetime) -> list[ColumnElement]:
    """Open and not yet expired."""
    return [Requirement.status == RequirementStatus.OPEN, Requirement.expires_at > now]


def unit_is_public(since) -> list[ColumnElement]:
    """A unit a tenant can see and rent: what the public search shows (confirmed `since`
    now - EXPIRED_AFTER), for rent."""
    return [
        Unit.status == UnitStatus.AVAILABLE,
        Unit.deal == "rent",
        Unit.confirmed_at >= since,
        Building.status == BuildingStatus.PUBLISHED,
    ]


def fits(area, rent, grade) -> list[ColumnElement]:
    """A requirement's ranges and grade against a unit's area, rent (元/㎡/天) and building
    grade: columns (the agent's side) or plain values (one unit's side). A missing rent meets
    no budget; a missing bound or grade asks nothing."""
    area = _value(area, Float())
    rent = _value(rent, Float())
    grade = _value(grade, String())
    price = case((Requirement.budget_unit == "month", rent * area * MONTH_DAYS), else_=rent)
    return [
        or_(Requirement.area_min.is_(None), Requirement.area_min <= area),
        or_(Requirement.area_max.is_(None), Requirement.area_max >= area),
        or_(Requirement.budget_min.is_(None), Requirement.budget_min <= price),
        or_(Requirement.budget_max.is_(None), Requirement.budget_max >= price),
        or_(Requirement.grade.is_(None), Requirement.grade == grade),
    ]


def _value(value, type_) -> ColumnElement:
    # A mapped attribute (Unit.area_m2) is a column too, by its __clause_element__.
    if isinstance(value, ColumnElement) or hasattr(value, "__clause_element__"):
        return value
    return literal(value, type_)


def requirements_for_unit(session: Session, unit_id: int, now: datetime | None = None) -> list[int]:
    """The open requirements the unit meets, by id: those naming the unit's town, district or
    park (index lookups on requirement_place) and those naming no place (ix_requirement_anywhere),
    each then tested on its ranges. A unit that is not public meets none."""
    now = now or utcnow()
    unit_query, requirement_query = _unit_statements()
    since = now - EXPIRED_AFTER
    row = session.execute(unit_query, {"unit_id": unit_id, "since": since}).first()
    if row is None:
        return []
    values = dict(row._mapping, now=now)
    return sorted(session.scalars(requirement_query, values))


@functools.cache
def _unit_statements() -> tuple[Select, Select]:
    """`requirements_for_unit`'s two statements, built once with bound parameters: building
    them is most of a lookup's cost otherwise. A missing town, district or park is NULL, which
    no place row equals."""
    now = bindparam("now", type_=DateTime())
    unit = (
        select(
            Unit.area_m2.label("area"),
            Unit.rent_per_m2_day.label("rent"),
            Building.grade.label("grade"),
            Building.town_id.label("town"),
            Building.district_id.label("district"),
            Building.park_id.label("park"),
        )
        .join(Building, Building.id == Unit.building_id)
        .where(
            Unit.id == bindparam("unit_id"),
            *unit_is_public(bindparam("since", type_=DateTime())),
        )
    )
    area, rent = bindparam("area", type_=Float()), bindparam("rent", type_=Float())
    tests = [*is_open(now), *fits(area, rent, bindparam("grade", type_=String()))]
    place = RequirementPlace.requirement_id
    named = union(
        select(place).where(RequirementPlace.place_id == bindparam("town", type_=Integer())),
        select(place).where(RequirementPlace.place_id == bindparam("district", type_=Integer())),
        select(place).where(RequirementPlace.park_id == bindparam("park", type_=Integer())),
    )
    requirements = union(
        select(Requirement.id).where(Requirement.anywhere == true(), *tests),
        select(Requirement.id).where(Requirement.id.in_(named.scalar_subquery()), *tests),
    )
    return unit, requirements


def agent_matches(
    session: Session,
    agent_id: int,
    now: datetime | None = None,
    requirement_id: int | None = None,
) -> dict[int, list[int]]:
    """The requirements the agent's public units meet, each with those units' ids (in id
    order), newest requirement first. All open ones; or, with `requirement_id`, that one
    whether open or not (a closed one is still shown, read-only, to the agents it matched).

    Driven from the agent's units: each unit's building looks its places up in
    requirement_place, as `requirements_for_unit` does, and the region-wide requirements
    are tested against every unit."""
    now = now or utcnow()
    units = [
        Building.owner_id == agent_id,
        *unit_is_public(now - EXPIRED_AFTER),
        *fits(Unit.area_m2, Unit.rent_per_m2_day, Building.grade),
    ]
    if requirement_id is None:
        units += is_open(now)
    else:
        units.append(Requirement.id == requirement_id)
    pair = (Requirement.id, Unit.id, Requirement.created_at)
    by_place = [
        select(*pair)
        .select_from(Building)
        .join(Unit, Unit.building_id == Building.id)
        .join(RequirementPlace, on)
        .join(Requirement, Requirement.id == RequirementPlace.requirement_id)
        .where(*units)
        for on in (
            RequirementPlace.place_id == Building.town_id,
            RequirementPlace.place_id == Building.district_id,
            RequirementPlace.park_id == Building.park_id,
        )
    ]
    anywhere = (
        select(*pair)
        .select_from(Building)
        .join(Unit, Unit.building_id == Building.id)
        .join(Requirement, Requirement.anywhere == true())
        .where(*units)
    )
    rows = session.execute(union(*by_place, anywhere)).all()
    found: dict[int, set[int]] = defaultdict(set)
    created: dict[int, datetime] = {}
    for req_id, unit_id, created_at in rows:
        found[req_id].add(unit_id)
        created[req_id] = created_at
    order = sorted(found, key=lambda i: (created[i], i), reverse=True)
    return {req_id: sorted(found[req_id]) for req_id in order}
