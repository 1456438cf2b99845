"""Fixtures of the 求租 tests: the gazetteer's places, agents with units in them, and
requirements stored through the service."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Park, Place, Requirement
from app.models.base import utcnow
from app.requirements import services
from tests.factories import AgentFactory, BuildingFactory, UnitFactory


class Where:
    """Places of the demo gazetteer by what the tests call them."""

    def __init__(self, places: dict) -> None:
        self.zhuji = places["zhuji"]  # a district
        self.ciwu = places["ciwu"]  # a town of 诸暨
        self.diankou = places["diankou"]  # another town of 诸暨
        self.keqiao = places["keqiao"]  # another district
        self.park = db.session.scalar(select(Park).where(Park.slug == "ciwu-linhang-park"))
        self.other_park = db.session.scalar(select(Park).where(Park.slug == "zhuji-etdz"))


@pytest.fixture
def where(gazetteer) -> Where:
    return Where(gazetteer)


def building_in(town: Place | None, park: Park | None = None, **kwargs):
    """A published building in `town` (and its district), optionally in `park`."""
    district = town.ancestor("district") if town is not None else None
    kwargs.setdefault("status", "published")
    return BuildingFactory(
        town_id=town.id if town else None,
        district_id=district.id if district else None,
        park_id=park.id if park else None,
        **kwargs,
    )


def unit_in(building, area: float = 200, rent: float | None = 1.5, **kwargs):
    return UnitFactory(building=building, area_m2=area, rent_per_m2_day=rent, **kwargs)


def requirement(
    places: list[Place] = (),
    parks: list[Park] = (),
    *,
    user_id: int | None = None,
    days_ago: float = 0,
    **fields,
) -> Requirement:
    """A requirement stored through the service, posted `days_ago`."""
    data = services.RequirementInput(
        name=fields.pop("name", "王女士"),
        mobile=fields.pop("mobile", "13812345678"),
        email=fields.pop("email", "wang@tenant.example"),
        place_ids=[p.id for p in places],
        park_ids=[p.id for p in parks],
        **fields,
    )
    found = services.create_requirement(data, user_id, utcnow() - timedelta(days=days_ago))
    db.session.flush()
    return found


@pytest.fixture
def agent():
    return AgentFactory(name="张经纪", email="zhang@agents.example", mobile="13900001111")
