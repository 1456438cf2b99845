"""Two commits that change one place at once, on PostgreSQL: both changes are in its figures.

They change different buckets of the town's histogram (different rents), so no bucket orders
them; the lock on the place's figures rows does (app.market.rollups._hold)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app import create_app
from app.extensions import db
from app.market import figures
from app.models import PlaceKind, Unit
from tests.factories import BuildingFactory, UnitFactory
from tests.market.checks import differences

pytestmark = pytest.mark.postgres


def test_two_commits_that_change_one_town_at_once_both_count(app, database_url, gazetteer):
    town = next(p for p in gazetteer.values() if p.kind == PlaceKind.TOWN and p.in_region)
    # Two buildings: the units' buildings are locked before a flush (app.models.locking), and
    # one building would order the two commits by itself.
    buildings = [
        BuildingFactory(status="published", town=town, district=town.parent) for _ in range(2)
    ]
    for n, rent in enumerate((1.0, 1.1, 1.2, 1.3, 1.4, 1.5)):
        UnitFactory(building=buildings[n % 2], rent_per_m2_day=rent)
    db.session.commit()
    first_id, second_id = (
        db.session.scalar(select(Unit.id).where(Unit.building_id == b.id).order_by(Unit.id))
        for b in buildings
    )
    other = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    rolled_up = threading.Event()

    def hold_the_first_commit(session):
        # After the effects (registered before this), just before COMMIT is sent.
        if threading.current_thread().name == "first":
            rolled_up.set()
            time.sleep(1.0)

    def change(unit_id: int, rent: float) -> None:
        with other.app_context():
            db.session.get(Unit, unit_id).rent_per_m2_day = rent
            db.session.commit()

    event.listen(Session, "before_commit", hold_the_first_commit)
    try:
        first = threading.Thread(target=change, args=(first_id, 2.2), name="first")
        first.start()
        assert rolled_up.wait(10)
        change(second_id, 3.3)  # waits for the first's commit, then reads its buckets too
        first.join(10)
    finally:
        event.remove(Session, "before_commit", hold_the_first_commit)
        with other.app_context():
            db.engine.dispose()

    db.session.expire_all()
    now = figures.for_place(town.id)
    assert now.rent_p75 == pytest.approx(2.2 * 0.75 + 1.5 * 0.25)  # 1.2 1.3 1.4 1.5 2.2 3.3
    assert differences(trends=False) == []
