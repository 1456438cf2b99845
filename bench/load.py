"""The bench databases: created fresh, migrated with Alembic, filled by a bulk path.

The gazetteer goes in through the demo loader (the app's own models); buildings, units, their
rent history, the full-text index and articles through SQLAlchemy Core executemany on SQLite
and COPY on PostgreSQL, leaving the rows the app's own code would leave; the market's rollups
are then built from them by the app's own rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, func, insert, select, text

from app import create_app
from app.extensions import db
from app.listings import fulltext
from app.market import rebuild
from app.models import (
    Article,
    ArticlePlace,
    Building,
    Requirement,
    SavedSearch,
    SearchHit,
    Unit,
    UnitEvent,
)
from app.models.base import utcnow
from bench import ROOT, SEED, Scale, synth, synth_alerts, synth_market

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
FINGERPRINT_FILES = (
    "bench/synth.py",
    "bench/words.py",
    "bench/load.py",
    "bench/synth_alerts.py",
    "bench/synth_market.py",
    "app/listings/fulltext.py",
    "app/market/synth.py",
    "app/market/rebuild.py",
    "app/alerts/conditions.py",
)
# Every table the bulk path fills, with its columns in the order the generators write them.
TABLE_COLUMNS = {**synth.COLUMNS, **synth_alerts.COLUMNS, **synth_market.COLUMNS}


@dataclass(frozen=True)
class Target:
    """One benchmark database: its engine, the URL the app is given, where it came from."""

    engine: str  # "sqlite" or "postgresql"
    url: str
    name: str  # file or database name
    admin_url: str | None = None  # PostgreSQL: a database on the same server to connect to
    file: Path | None = None  # SQLite

    @property
    def stamp(self) -> Path:
        return data_dir() / f"{self.engine}-{self.name}.json"


def data_dir() -> Path:
    path = Path(os.environ.get("BENCH_DATA") or ROOT / "bench" / "data")
    path.mkdir(parents=True, exist_ok=True)
    return path


def target(engine: str, scale: Scale) -> Target:
    name = "bench" if scale.name == "full" else f"bench_{scale.name}"
    if engine == "sqlite":
        path = data_dir() / f"{name}.sqlite3"
        return Target("sqlite", f"sqlite:///{path}", path.name, file=path)
    if engine == "postgresql":
        admin = os.environ.get("BENCH_PG_URL") or DEFAULT_PG_URL
        parts = urlsplit(admin.replace("postgresql+psycopg://", "postgresql://", 1))
        return Target("postgresql", urlunsplit(parts._replace(path="/" + name)), name, admin)
    raise SystemExit(f"unknown engine {engine!r} in BENCH_ENGINES (sqlite, postgresql)")


def make_app(url: str) -> Flask:
    """The app as production runs it, on this database (for the in-process figures)."""
    return create_app(
        {
            "CONFIG": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "SQLALCHEMY_DATABASE_URI": url,
            # In process, one app: its limits may be counted in memory (production asks for a
            # shared store unless told so).
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )


# -- fresh databases ------------------------------------------------------------------------


def reset(t: Target) -> None:
    """Drop and create the database (PostgreSQL) or delete the file (SQLite)."""
    if t.file is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{t.file}{suffix}").unlink(missing_ok=True)
        return
    with psycopg.connect(t.admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{t.name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{t.name}"')


def fingerprint(scale: Scale) -> dict:
    """What a reusable database must have been generated with."""
    digest = hashlib.sha256()
    for name in FINGERPRINT_FILES:
        digest.update((ROOT / name).read_bytes())
    for path in sorted((ROOT / "migrations" / "versions").glob("*.py")):
        digest.update(path.read_bytes())
    return {
        "scale": scale.name,
        "subscribers": [scale.saved_searches, scale.requirements],  # BENCH_SUBSCRIBERS
        "seed": SEED,
        "code": digest.hexdigest()[:16],
    }


def reusable(t: Target, scale: Scale) -> dict | None:
    """The stamp of a database generated earlier with the same code, when BENCH_REUSE=1."""
    if os.environ.get("BENCH_REUSE", "") not in ("1", "true", "yes") or not t.stamp.exists():
        return None
    stamp = json.loads(t.stamp.read_text())
    return stamp if stamp.get("fingerprint") == fingerprint(scale) else None


# -- writers --------------------------------------------------------------------------------


def _fast_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class SqliteWriter:
    """Core insert() executemany, one transaction per table and batch."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)
        event.listen(self.engine, "connect", _fast_sqlite)

    def rows(self, table: str, rows: list[tuple]) -> None:
        if not rows:
            return
        columns = TABLE_COLUMNS[table]
        with self.engine.begin() as conn:
            conn.execute(
                insert(db.metadata.tables[table]),
                [dict(zip(columns, r, strict=True)) for r in rows],
            )

    def documents(self, docs: list[tuple[int, str]]) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO building_fts (rowid, body) VALUES (:id, :body)"),
                [{"id": i, "body": body} for i, body in docs],
            )

    def finish(self) -> None:
        with self.engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        self.engine.dispose()


class PostgresWriter:
    """COPY, one transaction per table and batch; sequences moved past the ids; then ANALYZE."""

    def __init__(self, url: str) -> None:
        self.conn = psycopg.connect(url)

    def _copy(self, table: str, columns: Iterable[str], rows: Iterable[tuple]) -> None:
        quoted = ", ".join(f'"{c}"' for c in columns)  # outbound_email has a column "to"
        statement = f"COPY {table} ({quoted}) FROM STDIN"
        with self.conn.cursor() as cur, cur.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        self.conn.commit()

    def rows(self, table: str, rows: list[tuple]) -> None:
        if rows:
            # COPY takes JSON columns (a saved search's query) as their text.
            plain = (
                tuple(json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v for v in r)
                for r in rows
            )
            self._copy(table, TABLE_COLUMNS[table], plain)

    def documents(self, docs: list[tuple[int, str]]) -> None:
        rows = ((i, body, fulltext.grams(body)) for i, body in docs)
        self._copy("building_fts", ("building_id", "body", "grams"), rows)

    def finish(self) -> None:
        for table in (
            "building", "unit", "unit_event", "article", "users", "saved_search", "search_hit",
            "requirement", "requirement_place", "outbound_email",
        ):  # fmt: skip
            self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        self.conn.commit()
        self.conn.autocommit = True
        self.conn.execute("VACUUM ANALYZE")
        self.conn.close()


def check_columns() -> None:
    """Every column of the bulk-loaded tables is generated, so none is left to a default."""
    for table, columns in TABLE_COLUMNS.items():
        model = set(db.metadata.tables[table].columns.keys())
        if model != set(columns):
            raise SystemExit(
                f"bench/synth.py is out of step with the {table} table: it does not fill "
                f"{sorted(model - set(columns))} and fills unknown {sorted(set(columns) - model)}"
            )


# -- the whole load -------------------------------------------------------------------------


class TimedWriter:
    """A writer that adds up the seconds it spends writing."""

    def __init__(self, writer: SqliteWriter | PostgresWriter) -> None:
        self.writer = writer
        self.seconds = 0.0

    def __getattr__(self, name: str):
        method = getattr(self.writer, name)

        def timed(*args):
            start = time.perf_counter()
            method(*args)
            self.seconds += time.perf_counter() - start

        return timed


def _migrate_and_place(t: Target) -> tuple[Flask, synth.Gazetteer]:
    reset(t)
    app = make_app(t.url)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        gazetteer = synth.load_gazetteer(random.Random(SEED))
    return app, gazetteer


def generate(targets: list[Target], scale: Scale) -> dict[str, dict]:
    """Create, migrate and fill the databases from one pass of the generator.

    Each database gets its gazetteer through the demo loader; the ids come out the same on
    every engine (checked), so the one market generated can be written to all of them.
    """
    check_columns()
    start = time.perf_counter()
    made = [_migrate_and_place(t) for t in targets]
    gazetteer = made[0][1]
    if any(g != gazetteer for _, g in made):
        raise SystemExit("the gazetteer got different ids on different engines")
    writers = [
        TimedWriter(SqliteWriter(t.url) if t.engine == "sqlite" else PostgresWriter(t.url))
        for t in targets
    ]
    with made[0][0].app_context():  # the place linker reads the gazetteer from here
        now = utcnow()
        market = synth.Market(scale, gazetteer, now, SEED + 1)
        history = synth_market.History(SEED + 3, now)
        index = synth_alerts.Market()
        for batch in market.building_batches():
            index.add(batch.buildings, batch.units)
            events = history.rows(batch.buildings, batch.units)
            for w in writers:
                w.rows("building", batch.buildings)
                w.rows("unit", batch.units)
                w.rows("unit_event", events)
                w.documents(batch.documents)
        subscribers = synth_alerts.Subscribers(scale, gazetteer, index, now, SEED + 2)
        for batch in subscribers.batches():
            for table in synth_alerts.COLUMNS:
                for w in writers:
                    w.rows(table, batch.rows.get(table, []))
        for articles, links in market.article_batches():
            for w in writers:
                w.rows("article", articles)
                w.rows("article_place", links)
        db.session.remove()
    for w in writers:
        w.finish()
    rollups = {t.engine: build_rollups(app) for t, (app, _) in zip(targets, made, strict=True)}
    total = time.perf_counter() - start
    return {
        t.engine: _stamp(t, app, scale, total, w.seconds, rollups[t.engine])
        for t, (app, _), w in zip(targets, made, writers, strict=True)
    }


def build_rollups(app: Flask) -> float:
    """The market's rollups built from the loaded units and history by the app's own rebuild
    (as `flask market rebuild` does); the seconds it took."""
    with app.app_context():
        start = time.perf_counter()
        rebuild.rebuild(db.session)
        db.session.commit()
        seconds = time.perf_counter() - start
        db.session.remove()
    return round(seconds, 1)


def _stamp(
    t: Target, app: Flask, scale: Scale, total_s: float, write_s: float, rollup_s: float
) -> dict:
    with app.app_context():
        found = counts()
        db.session.remove()
        db.engine.dispose()
    stamp = {
        "fingerprint": fingerprint(scale),
        "counts": found,
        "generate_s": round(total_s, 1),
        "write_s": round(write_s, 1),
        "rollup_rebuild_s": rollup_s,
    }
    t.stamp.write_text(json.dumps(stamp, indent=2, sort_keys=True))
    return stamp


def counts() -> dict[str, int]:
    def n(column) -> int:
        return db.session.scalar(select(func.count(column)))

    return {
        "buildings": n(Building.id),
        "units": n(Unit.id),
        "articles": n(Article.id),
        "unit_events": n(UnitEvent.id),
        "article_places": n(ArticlePlace.article_id),
        "saved_searches": n(SavedSearch.id),
        "requirements": n(Requirement.id),
        "search_hits": n(SearchHit.id),
    }


def prepare(targets: list[Target], scale: Scale) -> dict[str, dict]:
    """Databases of this scale: generated now, or reused when BENCH_REUSE=1 allows it."""
    stamps = {t.engine: reusable(t, scale) for t in targets}
    for stamp in stamps.values():
        if stamp is not None:
            stamp["reused"] = True
    todo = [t for t in targets if stamps[t.engine] is None]
    if todo:
        stamps.update(generate(todo, scale))
    return stamps
