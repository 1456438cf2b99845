"""Fixtures: an app on a database of its own, copied from a migrated template (SQLite, or
PostgreSQL via TEST_DATABASE_URL); the demo data is loaded once a session, into a template too."""

from __future__ import annotations

import email
import email.policy
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.ctx import RequestContext
from flask.globals import _cv_app
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text
from werkzeug.routing import Rule

from app import create_app
from app.extensions import db
from app.models import Article, stamps
from tests.helpers import SEED, imported
from tests.security import hostile

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
EMPTY, DEMO = "empty", "demo"
_KIND = pytest.StashKey[str]()  # which template a test's database was copied from


def need(condition: bool, reason: str) -> None:
    """Skip on a laptop without a component, but fail under CI, where it must be present."""
    if not condition:
        if IN_CI:
            pytest.fail(f"required in CI: {reason}")
        pytest.skip(reason)


def _reuse_url_builders() -> None:
    """Let every app of the session share Werkzeug's URL builders.

    Each test makes an app, and binding its rules compiles two builder functions per rule from
    Python source: most of what `create_app` costs. A builder is a plain function of the rule's
    text, its parts and its defaults (it reads the converters from the rule it is bound to), so
    one compiled for an equal rule of an earlier app builds the same URLs. Without Werkzeug's
    private `_compile_builder` this does nothing and apps are only slower to make.
    """
    original = getattr(Rule, "_compile_builder", None)
    if original is None:
        return
    built: dict[tuple, object] = {}

    def compile_builder(rule: Rule, append_unknown: bool = True):
        defaults = tuple(
            (name, repr(value), name in rule._converters and rule._converters[name].to_url(value))
            for name, value in (rule.defaults or {}).items()
        )
        key = (rule.rule, tuple(rule._trace), defaults, append_unknown)
        if key not in built:
            built[key] = original(rule, append_unknown)
        return built[key]

    Rule._compile_builder = compile_builder


_reuse_url_builders()


def _close_engines(url: str) -> None:
    """Close the connections the app keeps to a database once its app is gone: the app's engine
    goes with the app, but the stamps' reader is the process's (one per database URL)."""
    reader = stamps._readers.pop(make_url(url).render_as_string(hide_password=False), None)
    if reader is not None:
        reader.dispose()


def _fill(url: str, kind: str, migrate: bool = True) -> None:
    """Migrate an empty database, and load the demo data into it if `kind` says so."""
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if migrate:
            upgrade()
        if kind == DEMO:
            from app.demo import loader

            loader.load()
        db.session.remove()
        db.engine.dispose()
    _close_engines(url)


class SQLiteDatabases:
    """Templates are files; a test's database is a copy of one in the test's own folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def template(self, kind: str) -> Path:
        path = self.folder / f"{kind}.sqlite3"
        _fill(f"sqlite:///{path}", kind)
        # The last connection has checkpointed the WAL: the file alone is the database.
        assert not Path(f"{path}-wal").exists()
        return path

    def copy(self, template: Path, folder: Path) -> str:
        path = folder / "test.sqlite3"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"

    def drop(self, url: str) -> None:
        path = make_url(url).database
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        pass


class PostgresDatabases:
    """One database for the session, TEST_DATABASE_URL's (a worker of pytest-xdist gets one named
    after it); a template is a copy of its rows in a schema of its own, and a test starts by
    putting one template's rows back, in one transaction.

    A database per test (`CREATE DATABASE … TEMPLATE …`) would be slower: dropping one forces a
    checkpoint of the whole server, while putting back a template's rows touches a few thousand
    rows. A rollback per test would not do: the browser's live server, the reliability tests'
    processes and some tests' second app need the rows committed.
    """

    def __init__(self, url: str) -> None:
        base = make_url(url)
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        if worker:
            base = base.set(database=f"{base.database}__{worker}")
            _create_database(url, base.database)
        self.url = base.render_as_string(hide_password=False)
        self.engine = create_engine(base.set(drivername="postgresql+psycopg"))
        with self.engine.begin() as conn:
            for schema in ("public", *(f"template_{kind}" for kind in (EMPTY, DEMO))):
                conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        _fill(self.url, EMPTY)
        self.restores: dict[str, str] = {}
        self._keep(EMPTY)

    def template(self, kind: str) -> str:
        if kind not in self.restores:
            self.copy(EMPTY, None)
            _fill(self.url, kind, migrate=False)
            self._keep(kind)
        return kind

    def _keep(self, kind: str) -> None:
        """Copy every table's rows into the schema template_<kind>, and write the statements
        that put them back: they are run as one script, in one round trip."""
        schema = f"template_{kind}"
        with self.engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
            # Every column but the generated ones, which the server computes again.
            tables = conn.execute(
                text(
                    "SELECT quote_ident(table_name), string_agg(quote_ident(column_name), ', '"
                    "  ORDER BY ordinal_position) FROM information_schema.columns"
                    " WHERE table_schema = 'public' AND is_generated = 'NEVER'"
                    " AND table_name <> 'alembic_version' GROUP BY table_name ORDER BY 1"
                )
            ).all()
            sequences = conn.execute(
                text(
                    "SELECT quote_ident(sequencename), last_value FROM pg_sequences"
                    " WHERE schemaname = 'public'"
                )
            ).all()
            # Foreign keys are checked by the server's internal triggers: off while the rows go
            # back (a superuser's setting, which the tests' server user is).
            steps = ["SET LOCAL session_replication_role = replica"]
            steps += [f"DELETE FROM public.{table}" for table, _ in tables]
            for table, columns in tables:
                rows = f"SELECT {columns} FROM public.{table}"
                if conn.execute(text(f"CREATE TABLE {schema}.{table} AS {rows}")).rowcount:
                    steps.append(
                        f"INSERT INTO public.{table} ({columns})"
                        f" SELECT {columns} FROM {schema}.{table}"
                    )
            for sequence, last in sequences:
                start = "1, false" if last is None else f"{last}, true"
                steps.append(f"SELECT setval('public.{sequence}', {start})")
        self.restores[kind] = ";\n".join(steps)

    def copy(self, template: str, _folder: Path | None) -> str:
        with self.engine.begin() as conn:
            conn.exec_driver_sql(self.restores[template])
        return self.url

    def drop(self, url: str) -> None:
        pass  # the next test puts its template's rows back

    def close(self) -> None:
        self.engine.dispose()


def _create_database(url: str, name: str) -> None:
    """Create a database beside `url`'s, unless it exists."""
    server = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        query = text("SELECT 1 FROM pg_database WHERE datname = :name")
        if conn.scalar(query, {"name": name}) is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()


class Databases:
    """The templates, each built the first time a test needs it, and a fresh copy per test."""

    def __init__(self, engine: SQLiteDatabases | PostgresDatabases) -> None:
        self.engine = engine
        self.templates: dict[str, Path | str] = {}

    def fresh(self, kind: str, folder: Path) -> str:
        if kind not in self.templates:
            self.templates[kind] = self.engine.template(kind)
        return self.engine.copy(self.templates[kind], folder)

    def drop(self, url: str) -> None:
        _close_engines(url)
        self.engine.drop(url)


@pytest.fixture(scope="session")
def databases(tmp_path_factory) -> Iterator[Databases]:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        engine = PostgresDatabases(url)
    else:
        engine = SQLiteDatabases(tmp_path_factory.mktemp("templates"))
    yield Databases(engine)
    engine.close()


@pytest.fixture
def database_url(request, databases, tmp_path) -> Iterator[str]:
    """A migrated database of this test's own, dropped afterwards; it holds the demo data
    already when the test asks for `demo`."""
    kind = DEMO if "demo" in request.fixturenames else EMPTY
    url = databases.fresh(kind, tmp_path)
    request.node.stash[_KIND] = kind
    yield url
    databases.drop(url)


class _OwnGlobals(RequestContext):
    """A request context whose request has a `g` of its own.

    The fixture's app context stays pushed across a test's requests (so the test and the views
    share one session), and Flask reuses a pushed app context, `g` included, for a request. Here
    each request swaps in an empty `g` and gives the test's back when it ends: whatever a request
    keeps in `g` (the signed-in user, the CSRF token, the CSP nonce, memos) is gone by the next
    one, as in production, without a list of keys to forget.
    """

    def push(self) -> None:
        super().push()
        context = _cv_app.get()
        self._outer_g = [*getattr(self, "_outer_g", []), (context, context.g)]
        context.g = self.app.app_ctx_globals_class()

    def pop(self, *args) -> None:
        context, outer = self._outer_g.pop()
        try:
            super().pop(*args)
        finally:
            context.g = outer


@pytest.fixture
def app(database_url, tmp_path) -> Iterator[Flask]:
    app = create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        }
    )
    app.request_context = lambda environ: _OwnGlobals(app, environ)
    with app.app_context():
        yield app
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Mailbox:
    """What a real SMTP server (aiosmtpd) received: `messages` parsed, `raw` as sent, and
    `envelopes` (sender and recipients); `refuse(n)` answers the next n messages with a 550."""

    def __init__(self) -> None:
        self.arrived = threading.Condition()
        self.url = ""
        self.clear()

    def clear(self) -> None:
        with self.arrived:
            self.messages: list[email.message.EmailMessage] = []
            self.raw: list[bytes] = []
            self.envelopes: list = []
            self.refusals = 0

    def refuse(self, count: int = 1) -> None:
        with self.arrived:
            self.refusals = count

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.arrived:
            if self.refusals:
                self.refusals -= 1
                return "550 5.7.1 refused by the test"
            self.raw.append(envelope.content)
            self.messages.append(
                email.message_from_bytes(envelope.content, policy=email.policy.default)
            )
            self.envelopes.append(envelope)
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 5) -> list[email.message.EmailMessage]:
        """Wait until `count` messages have arrived; fail with what did arrive if they do not."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.messages) >= count, timeout):
                subjects = [m["Subject"] for m in self.messages]
                pytest.fail(f"expected {count} emails within {timeout} s, got {subjects}")
            return list(self.messages)


@pytest.fixture(scope="session")
def _smtp_server() -> Iterator[Mailbox]:
    """One SMTP server per test process, on a free port of 127.0.0.1."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.url = f"smtp://127.0.0.1:{port}"
    yield box
    controller.stop()


@pytest.fixture
def mailbox(app, _smtp_server) -> Mailbox:
    """The emails the app sends during this test (MAIL_URL points the app at the server)."""
    _smtp_server.clear()
    app.config["MAIL_URL"] = _smtp_server.url
    return _smtp_server


@pytest.fixture
def demo(request, app):
    """The demo data, loaded through the same code as `flask demo load` (once a session, into
    the template this test's database was copied from); returns its counts."""
    from app.demo import loader

    if request.node.stash.get(_KIND, None) == DEMO:
        return loader.counts()
    return loader.load()  # asked for late, with getfixturevalue: load it here


@pytest.fixture
def gazetteer(app) -> dict:
    """The demo places and parks (no buildings): what the offline geocoder, locate() and the
    linker read."""
    from app.demo import loader
    from app.demo.parks import PARKS
    from app.demo.places import PLACES

    places = loader.load_places(PLACES)
    loader.load_parks(PARKS, places)
    db.session.commit()
    return places


@pytest.fixture
def seed_path() -> Path:
    need(SEED.exists(), f"the seed page is missing: {SEED}")
    return SEED


@pytest.fixture
def seed_text(seed_path) -> str:
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture
def seed_article(demo, runner, seed_path) -> Article:
    """The seed page imported through `flask news import` on top of the demo data."""
    result = runner.invoke(args=["news", "import", str(seed_path)])
    assert result.exit_code == 0, result.output
    (article,) = imported()
    return article


# How many hostile inputs the security tests tried, printed at the end. Under pytest-xdist the
# workers count and the controller, which runs no test, adds their counts up and prints them.
def pytest_collection_modifyitems(config, items) -> None:
    """Tests marked `postgres` are about PostgreSQL itself: without TEST_DATABASE_URL (the
    SQLite pass of `make test`) they are deselected, not skipped; the PostgreSQL pass runs them."""
    if os.environ.get("TEST_DATABASE_URL"):
        return
    kept = [item for item in items if item.get_closest_marker("postgres") is None]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


def pytest_sessionfinish(session) -> None:
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["hostile_tried"] = dict(hostile.TRIED)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    hostile.TRIED.update(getattr(node, "workeroutput", {}).get("hostile_tried", {}))


def pytest_terminal_summary(terminalreporter) -> None:
    # The figures the fault tests measured (tests/faults: the `timings` fixture), which reach
    # the controller from xdist workers with the reports' user_properties.
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, figures in getattr(report, "user_properties", ()):
                if name == "timings" and figures:
                    pairs = ", ".join(f"{key} {value}" for key, value in figures.items())
                    terminalreporter.write_line(f"timings of {report.nodeid}: {pairs}")
    if hostile.TRIED:
        lines = ", ".join(f"{name} {n}" for name, n in sorted(hostile.TRIED.items()))
        total = sum(hostile.TRIED.values())
        terminalreporter.write_line(f"hostile inputs tried: {total} ({lines})")
