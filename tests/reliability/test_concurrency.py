"""Several agents edit at once: every write lands, and none fails with "database is locked".

Each worker is a thread with its own app context, so its own session and connection, the way
gunicorn's threads and workers use the database: agents edit their own buildings and units and
add units, several sessions confirm (刷新) the same units of one building at once, and tenants'
page views count up that building. Runs on the SQLite file (WAL, busy timeout) and, when
TEST_DATABASE_URL is set, on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import func, select, text

from app.agent import services
from app.agent.services import BuildingInput, UnitInput
from app.extensions import db
from app.listings import actions
from app.models import Building, Unit, User
from tests.factories import AgentFactory, BuildingFactory, UnitFactory, UserFactory

AGENTS = 4
BUILDINGS_EACH = 2
UNITS_EACH = 3
ROUNDS = 8
CONFIRMERS = 4
CONFIRMS = 8
VIEWERS = 2
VIEWS = 40
START = datetime(2026, 1, 1)


@dataclass
class Plan:
    """The ids the workers write to, made before they start."""

    agents: list[int] = field(default_factory=list)
    buildings: dict[int, list[int]] = field(default_factory=dict)  # agent id -> building ids
    units: dict[int, list[int]] = field(default_factory=dict)  # building id -> unit ids
    admins: list[int] = field(default_factory=list)
    shared: int = 0  # the building whose units everyone confirms


def make_plan() -> Plan:
    plan = Plan()
    for _ in range(AGENTS):
        agent = AgentFactory()
        plan.agents.append(agent.id)
        plan.buildings[agent.id] = []
        for _ in range(BUILDINGS_EACH):
            building = BuildingFactory(owner=agent, status="published")
            plan.buildings[agent.id].append(building.id)
            plan.units[building.id] = [UnitFactory(building=building).id for _ in range(UNITS_EACH)]
    shared = BuildingFactory(owner=db.session.get(User, plan.agents[0]), status="published")
    plan.shared = shared.id
    plan.units[shared.id] = [UnitFactory(building=shared).id for _ in range(UNITS_EACH)]
    plan.admins = [UserFactory(role="admin").id for _ in range(CONFIRMERS - 1)]
    db.session.commit()
    return plan


def building_input(building: Building, agent_no: int, round_no: int) -> BuildingInput:
    return BuildingInput(
        name=building.name,
        address=building.address,  # unchanged: the point stays, no geocoding
        grade="甲级",
        floors=30,
        property_fee=float(round_no),
        description=f"agent {agent_no} round {round_no}",
    )


def unit_input(round_no: int) -> UnitInput:
    return UnitInput(
        deal="rent", area_m2=100.0 + round_no, floor=3, rent_per_m2_day=1.0, decoration="精装"
    )


def edit_as_agent(plan: Plan, agent_no: int) -> None:
    """One agent: each round edits each building and unit, and adds a unit to its first one."""
    user = db.session.get(User, plan.agents[agent_no])
    for round_no in range(ROUNDS):
        for building_id in plan.buildings[user.id]:
            building = services.building_for(user, building_id)
            services.save_building(user, building_input(building, agent_no, round_no), building)
            db.session.commit()
            for unit_id in plan.units[building_id]:
                unit = services.unit_for(user, unit_id)
                services.save_unit(unit.building, unit_input(round_no), unit)
                db.session.commit()
        first = services.building_for(user, plan.buildings[user.id][0])
        services.save_unit(first, unit_input(round_no))
        db.session.commit()


def confirm_shared(plan: Plan, confirmer_no: int, written: list[datetime]) -> None:
    """One of several sessions (the owner, admins) confirming the same units again and again."""
    user_ids = [plan.agents[0], *plan.admins]
    user = db.session.get(User, user_ids[confirmer_no])
    units = plan.units[plan.shared]
    mine_first = units[confirmer_no % len(units) :] + units[: confirmer_no % len(units)]
    for n in range(CONFIRMS):
        for unit_id in mine_first:  # different units of one building at the same moment
            when = START + timedelta(minutes=n, seconds=confirmer_no, microseconds=unit_id)
            services.confirm_unit(services.unit_for(user, unit_id), now=when)
            db.session.commit()
            written.append(when)


def view_shared(plan: Plan) -> None:
    for _ in range(VIEWS):
        actions.count_view(plan.shared)


def run_workers(app: Flask, jobs: list[Callable[[], None]]) -> list[BaseException]:
    """Run each job in its own thread and app context, all released at once; return errors."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(jobs))

    def work(job: Callable[[], None]) -> None:
        with app.app_context():
            try:
                barrier.wait()
                job()
            except BaseException as error:  # noqa: BLE001 - reported by the test
                errors.append(error)
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    return errors


def fulltext_rows(building_id: int) -> int:
    if db.engine.dialect.name == "postgresql":
        sql = "SELECT count(*) FROM building_fts WHERE building_id = :id"
    else:
        sql = "SELECT count(*) FROM building_fts WHERE rowid = :id"
    return db.session.scalar(text(sql), {"id": building_id})


def check_agents(plan: Plan) -> None:
    last = ROUNDS - 1
    for agent_no, agent_id in enumerate(plan.agents):
        for i, building_id in enumerate(plan.buildings[agent_id]):
            building = db.session.get(Building, building_id)
            assert building.description == f"agent {agent_no} round {last}"
            assert building.property_fee == last and building.floors == 30
            units = building.units
            assert len(units) == UNITS_EACH + (ROUNDS if i == 0 else 0)
            assert (
                sorted(u.area_m2 for u in units if u.id in plan.units[building_id])
                == [100.0 + last] * UNITS_EACH
            )
            assert fulltext_rows(building_id) == 1


def check_shared(plan: Plan, written: list[datetime], views_before: int) -> None:
    assert len(written) == CONFIRMERS * CONFIRMS * UNITS_EACH  # every confirmation committed
    shared = db.session.get(Building, plan.shared)
    for unit in shared.units:
        mine = [w for w in written if w.microsecond == unit.id]
        assert unit.confirmed_at in mine
    # The ranking column the search sorts by follows the units' latest confirmation.
    latest = db.session.scalar(
        select(func.max(Unit.confirmed_at)).where(Unit.building_id == plan.shared)
    )
    assert shared.units_confirmed_at == latest
    assert shared.view_count == views_before + VIEWERS * VIEWS
    assert fulltext_rows(plan.shared) == 1


def test_concurrent_agents_lose_no_write(app):
    plan = make_plan()
    views_before = db.session.get(Building, plan.shared).view_count or 0
    written: list[datetime] = []
    jobs: list[Callable[[], None]] = [
        *(lambda a=a: edit_as_agent(plan, a) for a in range(AGENTS)),
        *(lambda c=c: confirm_shared(plan, c, written) for c in range(CONFIRMERS)),
        *(lambda: view_shared(plan) for _ in range(VIEWERS)),
    ]

    errors = run_workers(app, jobs)
    actions.flush_views()  # views are written in batches; the last batch is still pending

    assert errors == [], [f"{type(e).__name__}: {e}" for e in errors]
    db.session.expire_all()
    check_agents(plan)
    check_shared(plan, written, views_before)
