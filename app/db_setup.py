"""Per-connection database settings: SQLite gets WAL, a busy timeout and foreign keys.

SQLite and transactions: Python's sqlite3 driver opens a transaction (a deferred BEGIN) only before
an INSERT, UPDATE or DELETE, so reads run outside one and a write transaction starts by writing,
which waits for the write lock under the busy timeout. A SAVEPOINT, though, is sent with no BEGIN
before it: SQLite then treats it as the transaction itself, so releasing it commits, and a later
rollback of the session undoes nothing (the CSV import's rows were committed one by one on SQLite,
while PostgreSQL kept the file in one transaction). `_begin_before_savepoint` opens the
transaction first, with BEGIN IMMEDIATE: a savepoint means writes are coming, and taking the write
lock at the start waits under the busy timeout, where a read that later turns into a write would
fail at once with "database is locked" if another connection wrote in between.

PostgreSQL and units: when a unit changes, the commit rewrites its building's ranking column
(the latest confirmation, computed by a subquery over the units) and index row. Under READ
COMMITTED two transactions changing different units of one building each compute that from a
snapshot taken before the other committed, and the later one overwrote the other's confirmation
(seen in tests/reliability/test_concurrency.py). `_lock_buildings_of_changed_units` makes a
transaction lock the buildings (in id order) before it writes their units, so such transactions
run one after the other per building and each computes from what the previous one committed.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from app.extensions import db

BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_before_savepoint(conn: Connection, _name: str) -> None:
    """Make a SAVEPOINT nest inside a real transaction on SQLite (see the module's docstring)."""
    dbapi_connection = conn.connection.dbapi_connection
    if not dbapi_connection.in_transaction:
        dbapi_connection.execute("BEGIN IMMEDIATE")


def _unit_buildings(session: Session) -> set[int]:
    from app.models import Unit

    changed = (*session.new, *session.dirty, *session.deleted)
    ids = {u.building_id or getattr(u.building, "id", None) for u in changed if isinstance(u, Unit)}
    ids.discard(None)
    return ids


@event.listens_for(Session, "before_flush")
def _lock_buildings_of_changed_units(session: Session, _context, _instances) -> None:
    """On PostgreSQL, lock the buildings of changed units first (see the module's docstring)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    ids = _unit_buildings(session)
    if ids:
        from app.models import Building

        lock = select(Building.id).where(Building.id.in_(sorted(ids))).order_by(Building.id)
        session.execute(lock.with_for_update())


# Tables that migrations create by hand (full-text and spatial indexes) and the models do not map.
UNMAPPED_PREFIXES = ("building_fts", "building_rtree", "article_fts")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Tell Alembic's autogenerate to leave hand-made index tables alone, and the indexes on an
    expression, which SQLAlchemy cannot reflect on SQLite (and which PostgreSQL does not have):
    app.models.listings.place_rank_index, made by migration 0014."""
    from app.models.listings import PLACE_RANK_INDEXES

    if type_ == "index" and name in PLACE_RANK_INDEXES:
        return False
    return not (type_ == "table" and name and name.startswith(UNMAPPED_PREFIXES))


def init_app(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "savepoint", _begin_before_savepoint)
