"""Fixtures: an app on a clean, migrated database (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import g
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db
from app.models import Article
from tests.helpers import SEED, imported

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PER_REQUEST_G = ("_login_user", "csrf_token", "csp_nonce", "fulltext_common", "linker_places")


def need(condition: bool, reason: str) -> None:
    """Skip on a laptop without a component, but fail under CI, where it must be present."""
    if not condition:
        if IN_CI:
            pytest.fail(f"required in CI: {reason}")
        pytest.skip(reason)


def _reset_postgres(url: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """One migrated database for the session; each test empties it afterwards."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        _reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def _empty_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        }
    )
    # The fixture's app context lives across requests, and so would what requests keep in `g`
    # (Flask-Login's user, the CSRF token, the CSP nonce, the keyword and gazetteer memos);
    # forget it after each request, as a real request's fresh context would.
    app.teardown_request(lambda _exc: [g.pop(k, None) for k in PER_REQUEST_G])
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def demo(app):
    """The demo data, loaded through the same code as `flask demo load`."""
    from app.demo import loader

    return loader.load()


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
