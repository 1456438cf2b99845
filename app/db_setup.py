"""Engine-level settings, per connection: SQLite gets WAL, a busy timeout and foreign keys, and a
SAVEPOINT that nests inside a real transaction.

SQLite and transactions: Python's sqlite3 driver opens a transaction (a deferred BEGIN) only before
an INSERT, UPDATE or DELETE, so reads run outside one and a write transaction starts by writing,
which waits for the write lock under the busy timeout. A SAVEPOINT, though, is sent with no BEGIN
before it: SQLite then treats it as the transaction itself, so releasing it commits, and a later
rollback of the session undoes nothing (the CSV import's rows would be committed one by one on
SQLite, while PostgreSQL keeps the file in one transaction). `_begin_before_savepoint` opens the
transaction first, with BEGIN IMMEDIATE: a savepoint means writes are coming, and taking the write
lock at the start waits under the busy timeout, where a read that later turns into a write would
fail at once with "database is locked" if another connection wrote in between.

These hooks belong to each app's engine (an engine per app, so per test), not to the Session that
every app shares: the commit-time effects on the Session are registered by app.effects, which
lists these two as well.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

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


# (event, listener) on a SQLite engine, in the order they are registered.
SQLITE_ENGINE_HOOKS = (("connect", _sqlite_pragmas), ("savepoint", _begin_before_savepoint))


def init_app(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            for name, listener in SQLITE_ENGINE_HOOKS:
                if not event.contains(engine, name, listener):
                    event.listen(engine, name, listener)
