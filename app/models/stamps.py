"""Change stamps: a counter per kind of content, raised whenever that content changes.

Cached pages are keyed by the stamp of what they show, so a change seen by one worker is seen
by every worker (and every server) at their next request, without telling them. The listings
stamp is raised inside the transaction that changes a building, unit, place or park (by
app.listings.upkeep, as its last statement), and the places stamp before it when places or parks
changed; the news stamp likewise in the transaction
that changes articles, by the listeners here. app.effects registers both, in that order.
"""

from __future__ import annotations

import threading

from sqlalchemy import BigInteger, String, create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db_setup import BUSY_TIMEOUT_MS
from app.extensions import db
from app.models.news import Article, ArticlePlace

LISTINGS = "listings"  # buildings, units, places and parks: what the search pages show
NEWS = "news"  # articles and their places: what the building pages show beside a building
PLACES = "places"  # places and parks: what the linker and the placing of buildings are built from
_NEWS_CHANGED = "stamps_news_changed"  # session.info flag: this transaction changed articles


class ChangeStamp(db.Model):
    __tablename__ = "change_stamp"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


# Every stamp, read on every cached page: the table holds one row per kind of content.
_SELECT_ALL = "SELECT name, version FROM change_stamp"


def current(session: Session, *names: str) -> tuple[int, ...]:
    """The versions of the named stamps, in one query (0 before a stamp's first change).

    Read on a connection of its own, outside the session's transaction: a cache hit then opens
    no ORM session at all. What a miss renders afterwards is at least as new as these versions,
    so no entry holds older content than its key says.
    """
    reader = _reader(session.get_bind())
    try:
        found = _read(reader)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        found = _read(reader)  # the pool has let its dead connections go: once more
    return tuple(found.get(name, 0) for name in names)


# One reader per database, for the process: engines come and go with apps (one per test).
_readers: dict[str, Engine] = {}
_readers_lock = threading.Lock()


def _reader(bind: Engine) -> Engine:
    """An engine of the same database for reading stamps, in autocommit and without the app
    engine's ping before each checkout: on PostgreSQL the read is then one round trip instead
    of three (ping, select, rollback; docs/architecture.md has the figures). A dead connection
    is not pinged away but found by the read, which `current` repeats."""
    on_sqlite = bind.dialect.name == "sqlite"
    if on_sqlite and bind.url.database in (None, "", ":memory:"):
        return bind  # a database in memory lives only in its own engine's connections
    key = bind.url.render_as_string(hide_password=False)
    with _readers_lock:
        if key not in _readers:
            # SQLite: wait for a lock as the app's connections do (app.db_setup).
            options = {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000}} if on_sqlite else {}
            _readers[key] = create_engine(bind.url, isolation_level="AUTOCOMMIT", **options)
        return _readers[key]


def _read(reader: Engine) -> dict[str, int]:
    with reader.connect() as conn:
        return dict(conn.exec_driver_sql(_SELECT_ALL).all())


# An upsert both engines speak (SQLite 3.24+), written once as text: building it with
# SQLAlchemy's dialect inserts on every commit costs ten times its execution.
_BUMP = text(
    "INSERT INTO change_stamp (name, version) VALUES (:name, 1) "
    "ON CONFLICT (name) DO UPDATE SET version = change_stamp.version + 1"
)


def bump(session: Session, name: str) -> None:
    """Raise the stamp inside the session's transaction (an upsert, so a missing row is fine).

    Taken last in a transaction, just before its commit, so holding its row lock never waits
    on another lock and two writers cannot deadlock over it.
    """
    session.execute(_BUMP, {"name": name})


def news_changed(session: Session) -> None:
    """Note that this transaction changes articles or their places in a way its flushes do not
    show (a bulk INSERT of links): the news stamp is raised when it commits."""
    session.info[_NEWS_CHANGED] = True


def note_news_changes(session: Session, _context) -> None:
    """After a flush (app.effects): note whether it wrote articles or their places."""
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, Article | ArticlePlace) for obj in changed):
        session.info[_NEWS_CHANGED] = True


def raise_news_stamp(session: Session) -> None:
    """Before a commit (app.effects): raise the news stamp in the transaction that changed
    articles, once they are flushed: a reader sees the new articles and the new stamp together,
    or neither.

    It runs before app.listings.upkeep's listener, so a transaction that changes both takes the
    news stamp, then the listings stamp: always in that order, so no two writers can deadlock
    over them.
    """
    session.flush()
    if session.info.pop(_NEWS_CHANGED, False):
        bump(session, NEWS)


def forget_news_changes(session: Session) -> None:
    """After a rollback (app.effects): the rolled-back changes raise no stamp."""
    session.info.pop(_NEWS_CHANGED, None)
