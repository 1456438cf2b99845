"""Fixtures of the account tests: a user with a known password, the links emails carry, and an
app with its rate limits on."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from app import create_app
from app.extensions import db, limiter
from tests.factories import UserFactory
from tests.mail.conftest import _rq, rq_worker  # noqa: F401  (the RQ queue and its worker)

LINK = re.compile(r"https?://\S+/accounts/(?:verify|reset)/[\w.\-]+")


def link_in(message) -> str:
    """The path of the one account link an email carries, the same in both of its parts."""
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    (link,) = set(LINK.findall(text))
    assert f'href="{link}"' in html
    return urlsplit(link).path


def sign_in_form(client, email: str, password: str, remember: bool = False):
    """Sign in through the real form (so the session and cookie are what a browser gets)."""
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    response = client.post("/accounts/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response


@pytest.fixture
def user(app):
    """A tenant whose password is tests.factories.PASSWORD."""
    person = UserFactory(email="lin@example.com", name="林女士")
    db.session.commit()
    return person


@pytest.fixture
def limited(database_url, tmp_path):
    """A second app with rate limits on (the testing config has them off), and its client.

    The limiter is one object for every app: a test using this must not also ask for `app` (or
    a fixture built on it), whose init_app would turn the limits off again."""
    app = create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": True,
            "MAIL_OUTBOX": str(tmp_path / "outbox"),
        }
    )
    limiter.reset()
    with app.app_context():
        yield app.test_client()
        db.session.remove()
        db.engine.dispose()
    limiter.reset()
