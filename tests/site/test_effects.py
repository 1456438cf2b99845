"""The commit-time effects: registered from one ordered list (app.effects), once, by the factory,
and what a commit then does, in that order."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app import create_app, effects
from app.config import ROOT
from app.extensions import db
from app.listings import fulltext
from app.models import Article, Building, Park, Place, stamps
from tests.factories import BuildingFactory, UnitFactory

SESSION_EVENTS = ("before_flush", "after_flush", "before_commit", "after_rollback")


def session_listeners(name: str) -> list:
    """The listeners registered on the Session class for one event, in the order they run."""
    return list(getattr(Session.dispatch, name)._clslevel[Session])


def test_the_listeners_are_the_list_in_its_order_registered_once(app, tmp_path):
    create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/two.db"})
    effects.register()  # a second app and a second call: still once each
    for name in SESSION_EVENTS:
        listed = [e.listener for e in effects.EFFECTS if e.target is Session and e.event == name]
        assert session_listeners(name) == listed, name
    mapper_effects = [e for e in effects.EFFECTS if e.target is not Session]
    assert {e.target for e in mapper_effects} == {Place, Park}
    for effect in mapper_effects:
        assert event.contains(effect.target, effect.event, effect.listener)


def test_a_commit_raises_the_news_stamp_then_reindexes_then_raises_the_listings_stamp(app):
    building = BuildingFactory(name="效应大厦")
    UnitFactory(building=building, rent_per_m2_day=1.2)
    db.session.add(Article(title="效应", category="交通", published_at=datetime(2024, 1, 2)))
    before = stamps.current(db.session, stamps.NEWS, stamps.LISTINGS)
    sent: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, *_args) -> None:
        sent.append((" ".join(statement.split()), parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)

    def first(test) -> int:
        return next(i for i, (sql, params) in enumerate(sent) if test(sql, params))

    def bump_of(name: str):
        def test(sql: str, params) -> bool:
            values = list(params.values() if isinstance(params, dict) else params)
            return sql.startswith("INSERT INTO change_stamp") and values == [name]

        return test

    news = first(bump_of(stamps.NEWS))
    ranking = first(lambda sql, _: sql.startswith("UPDATE building SET") and "rent_low" in sql)
    index_row = first(lambda sql, _: sql.startswith("INSERT INTO building_fts"))
    listings = first(bump_of(stamps.LISTINGS))
    assert news < ranking < index_row < listings == len(sent) - 1, sent
    assert stamps.current(db.session, stamps.NEWS, stamps.LISTINGS) == (
        before[0] + 1,
        before[1] + 1,
    )
    db.session.expire_all()
    stored = db.session.get(Building, building.id)
    assert (stored.rent_low, stored.rent_high) == (1.2, 1.2) and stored.unit_kinds
    assert fulltext.first_ids(db.session, "效应大厦", 10) == [building.id]


def test_a_rolled_back_change_raises_no_stamp_and_is_not_indexed(app):
    before = stamps.current(db.session, stamps.NEWS, stamps.LISTINGS)
    BuildingFactory(name="回滚大厦")
    db.session.add(Article(title="回滚", category="交通", published_at=datetime(2024, 1, 2)))
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert stamps.current(db.session, stamps.NEWS, stamps.LISTINGS) == before
    assert fulltext.first_ids(db.session, "回滚大厦", 10) == []


# Run in a process of its own: an app with the database and the effects but no blueprint, so
# nothing of the listings' views or search is imported. It cleans up after itself.
WITHOUT_BLUEPRINTS = """
import json, sys
from flask import Flask
from sqlalchemy import text
from app import config, effects
from app.extensions import db

app = Flask("effects-probe")
app.config["SQLALCHEMY_DATABASE_URI"] = config.database_url(
    {"SQLALCHEMY_DATABASE_URI": sys.argv[1]}, app.instance_path
)
db.init_app(app)
effects.register()
with app.app_context():
    from app.models import Building, Unit, stamps
    before = stamps.current(db.session, stamps.LISTINGS)[0]
    building = Building(name="无蓝图大厦", address="诸暨市次坞镇", lat=29.95, lon=120.12)
    building.units.append(Unit(deal="rent", area_m2=100.0, rent_per_m2_day=1.5))
    db.session.add(building)
    db.session.commit()
    ranking = db.session.execute(
        text("SELECT rent_low, unit_kinds, units_confirmed_at FROM building WHERE id = :id"),
        {"id": building.id},
    ).one()
    key = "building_id" if db.engine.dialect.name == "postgresql" else "rowid"
    index_rows = text(f"SELECT {key}, body FROM building_fts WHERE {key} = :id")
    indexed = db.session.execute(index_rows, {"id": building.id}).all()
    raised = stamps.current(db.session, stamps.LISTINGS)[0] - before
    db.session.delete(building)
    db.session.commit()
    print(json.dumps({
        "modules": sorted(m for m in sys.modules if m.startswith("app.")),
        "raised": raised,
        "rent_low": ranking[0],
        "unit_kinds": ranking[1],
        "confirmed": ranking[2] is not None,
        "indexed": [[i, body] for i, body in indexed],
        "left": len(db.session.execute(index_rows, {"id": building.id}).all()),
        "id": building.id,
    }))
"""


def test_the_effects_run_without_any_blueprint_imported(database_url):
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_BLUEPRINTS, database_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert not [m for m in found["modules"] if m.endswith("views") or ".search" in m]
    assert found["raised"] == 1
    assert found["rent_low"] == 1.5 and found["unit_kinds"] and found["confirmed"]
    ((key, body),) = found["indexed"]
    assert key == found["id"] and "无 蓝 图 大 厦" in body
    assert found["left"] == 0


def test_a_deleted_building_leaves_the_index(app):
    building = BuildingFactory(name="拆除大厦")
    db.session.commit()
    assert fulltext.first_ids(db.session, "拆除大厦", 10) == [building.id]
    db.session.delete(building)
    db.session.commit()
    assert db.session.scalar(select(Building.id).where(Building.name == "拆除大厦")) is None
    assert fulltext.first_ids(db.session, "拆除", 10) == []
