"""Helpers of the reliability tests: an agent, whole-database snapshots, a subprocess's env."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from app.extensions import db
from tests.factories import AgentFactory

ROOT = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).parent / "flask")

Snapshot = dict[str, list[tuple]]


@pytest.fixture
def agent(app):
    user = AgentFactory()
    db.session.commit()
    return user


def table_rows(conn: Connection, table: str) -> list[tuple]:
    """Every row of a table, sorted so that two databases compare equal when their rows do."""
    rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
    return sorted((tuple(r) for r in rows), key=repr)


def snapshot(conn: Connection, skip: tuple[str, ...] = ()) -> Snapshot:
    """The rows of every table of the database (the full-text tables included)."""
    names = inspect(conn).get_table_names()
    return {name: table_rows(conn, name) for name in sorted(names) if not name.startswith(skip)}


def database_snapshot(skip: tuple[str, ...] = ()) -> Snapshot:
    """A snapshot through the app's engine, read in a fresh transaction."""
    db.session.remove()
    with db.engine.connect() as conn:
        return snapshot(conn, skip)


def cli_env(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    """The environment of a `flask --app wsgi …` subprocess on the test database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "XZL_"))}
    env.pop("TEST_DATABASE_URL", None)
    env.update(APP_ENV="development", DATABASE_URL=database_url, INSTANCE_PATH=str(instance))
    env.update(extra)
    return env
