"""Fixtures of the news tests: the seed page (read from ../shared/seeds/), users by role."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import g
from sqlalchemy import select

from app.extensions import db
from app.models import Article, User
from tests.conftest import need

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "000_33251f2a9cb5ef10.txt"


@pytest.fixture
def seed_path() -> Path:
    need(SEED.exists(), f"the seed page is missing: {SEED}")
    return SEED


@pytest.fixture
def seed_text(seed_path) -> str:
    return seed_path.read_text(encoding="utf-8")


def imported(key_prefix: str = "page:") -> list[Article]:
    query = select(Article).where(Article.import_key.startswith(key_prefix))
    return list(db.session.scalars(query))


@pytest.fixture
def seed_article(demo, runner, seed_path) -> Article:
    """The seed page imported through `flask news import` on top of the demo data."""
    result = runner.invoke(args=["news", "import", str(seed_path)])
    assert result.exit_code == 0, result.output
    (article,) = imported()
    return article


def make_user(role: str, email: str | None = None) -> User:
    user = User(email=email or f"{role}@test.example", name=f"测试{role}", role=role)
    user.set_password("secret-pass-1")
    db.session.add(user)
    db.session.commit()
    return user


def sign_in(client, user: User) -> None:
    # Flask-Login caches the user in `g`, which the fixture's app context keeps between requests.
    g.pop("_login_user", None)
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


@pytest.fixture
def editor(client) -> User:
    user = make_user("editor")
    sign_in(client, user)
    return user
