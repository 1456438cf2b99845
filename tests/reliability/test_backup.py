"""`flask backup PATH` and `flask restore PATH` on SQLite; PostgreSQL is pointed to pg_dump.

These tests make their own SQLite files (the demo data, migrated once per module and copied), so
they run the same in the PostgreSQL pass of the suite.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, update

from app import create_app
from app.extensions import db
from app.models import Building, Inquiry
from tests.reliability.conftest import Snapshot, snapshot

WRITES_BEFORE_BACKUP = 20


def make_app(path: Path) -> Flask:
    return create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})


def file_snapshot(path: Path) -> Snapshot:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return snapshot(conn)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    """A migrated SQLite file with the demo data, made once for the module."""
    from app.demo import loader

    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    app = make_app(path)
    with app.app_context():
        upgrade()
        loader.load()
        db.session.remove()
        db.engine.dispose()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def live(demo_file, tmp_path) -> Iterator[Flask]:
    """The app on its own copy of the demo database."""
    path = tmp_path / "live.sqlite3"
    shutil.copyfile(demo_file, path)
    app = make_app(path)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def invoke(app: Flask, *args: str):
    """Run a command of this app (in its own context: the CLI reuses whichever is current)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


class Writer(threading.Thread):
    """Writes inquiries until stopped; each transaction adds one and counts it on the building."""

    def __init__(self, app: Flask, building_id: int) -> None:
        super().__init__()
        self.app, self.building_id = app, building_id
        self.stop, self.writes, self.error = threading.Event(), 0, None

    def run(self) -> None:
        with self.app.app_context():
            try:
                while not self.stop.is_set():
                    self.write_one()
            except Exception as error:  # noqa: BLE001 - reported by the test
                self.error = error
            finally:
                db.session.remove()

    def write_one(self) -> None:
        db.session.add(
            Inquiry(
                building_id=self.building_id, name="王女士", mobile="13800000000", message="看房"
            )
        )
        db.session.execute(
            update(Building)
            .where(Building.id == self.building_id)
            .values(view_count=Building.view_count + 1)
        )
        db.session.commit()
        self.writes += 1


def consistent(path: Path, building_id: int) -> int:
    """The backup holds whole transactions: as many inquiries as counted views, and is sound."""
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        inquiries = conn.execute(
            "SELECT count(*) FROM inquiry WHERE building_id = ?", (building_id,)
        ).fetchone()[0]
        views = conn.execute(
            "SELECT view_count FROM building WHERE id = ?", (building_id,)
        ).fetchone()[0]
    assert inquiries == views
    return inquiries


def test_backup_while_the_app_writes_restores_every_row(live, tmp_path):
    building_id = db.session.scalar(select(Building.id).order_by(Building.id).limit(1))
    db.session.execute(update(Building).values(view_count=0))
    db.session.commit()
    writer = Writer(live, building_id)
    writer.start()
    try:
        while writer.writes < WRITES_BEFORE_BACKUP and writer.is_alive():
            threading.Event().wait(0.01)
        during = invoke(live, "backup", str(tmp_path / "during.sqlite3"))
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    assert writer.error is None, writer.error
    assert during.exit_code == 0, during.output
    assert "已备份数据库" in during.output
    assert consistent(tmp_path / "during.sqlite3", building_id) >= WRITES_BEFORE_BACKUP

    after = invoke(live, "backup", str(tmp_path / "after.sqlite3"))
    assert after.exit_code == 0, after.output
    assert consistent(tmp_path / "after.sqlite3", building_id) == writer.writes

    fresh = make_app(tmp_path / "fresh" / "restored.sqlite3")
    restored = invoke(fresh, "restore", str(tmp_path / "after.sqlite3"))
    assert restored.exit_code == 0, restored.output
    live_rows = file_snapshot(Path(db.engine.url.database))
    assert file_snapshot(tmp_path / "fresh" / "restored.sqlite3") == live_rows
    assert all(live_rows[t] for t in ("place", "building", "unit", "article", "building_fts"))


def test_restore_replaces_the_live_database(live, tmp_path):
    assert invoke(live, "backup", str(tmp_path / "saved.sqlite3")).exit_code == 0
    saved = file_snapshot(tmp_path / "saved.sqlite3")
    db.session.execute(update(Building).values(name="改过的名字"))
    db.session.add(Inquiry(building_id=1, name="赵先生", mobile="13900000000", message="留言"))
    db.session.commit()

    result = invoke(live, "restore", str(tmp_path / "saved.sqlite3"))

    assert result.exit_code == 0, result.output
    assert "已从" in result.output and "恢复数据库" in result.output
    assert db.session.scalar(select(func.count()).where(Building.name == "改过的名字")) == 0
    assert file_snapshot(Path(db.engine.url.database)) == saved


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not a database" * 100, "不是有效的 SQLite 数据库备份"),
        (None, "alembic_version"),  # a sound SQLite file that is not one of ours
    ],
)
def test_restore_refuses_what_is_not_a_backup(live, tmp_path, content, message):
    bogus = tmp_path / "bogus.sqlite3"
    if content is None:
        with closing(sqlite3.connect(bogus)) as conn:
            conn.execute("CREATE TABLE notes (body TEXT)")
    else:
        bogus.write_bytes(content)
    before = file_snapshot(Path(db.engine.url.database))

    result = invoke(live, "restore", str(bogus))

    assert result.exit_code != 0 and message in result.output
    assert file_snapshot(Path(db.engine.url.database)) == before
    missing = invoke(live, "restore", str(tmp_path / "nowhere.sqlite3"))
    assert missing.exit_code != 0 and "找不到备份文件" in missing.output


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_postgresql_is_pointed_to_pg_dump(tmp_path, command):
    app = create_app(
        {"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": "postgresql://postgres@127.0.0.1/x"}
    )
    result = invoke(app, command, str(tmp_path / "x.dump"))
    assert result.exit_code == 1
    assert "PostgreSQL 请使用 pg_dump / pg_restore" in result.output
    assert "pg_dump -Fc" in result.output
    assert not (tmp_path / "x.dump").exists()
