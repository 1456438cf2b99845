"""Per-connection database settings: SQLite gets WAL, a busy timeout and foreign keys."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.extensions import db


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# Tables that migrations create by hand (full-text and spatial indexes) and the models do not map.
UNMAPPED_PREFIXES = ("building_fts", "building_rtree", "article_fts")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Tell Alembic's autogenerate to leave hand-made index tables alone."""
    return not (type_ == "table" and name and name.startswith(UNMAPPED_PREFIXES))


def init_app(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
