"""No user enumeration: sign-in and registration answer alike whether or not an email is known."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlalchemy import func, select

from app.accounts import services
from app.extensions import db
from app.models import OutboundEmail, User
from app.models import accounts as account_model
from tests.factories import PASSWORD

TOKEN = re.compile(r'name="csrf_token"[^>]*value="[^"]+"')
NONCE = re.compile(r'nonce="[^"]+"')


@pytest.fixture
def hashing(monkeypatch) -> Counter:
    """Count password hashes made and checked: the cost an attacker could time."""
    calls: Counter = Counter()

    def counting(module, name):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls[name] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    # Every place a request can hash or check a password (services' stand-in hash is made once
    # per process, through werkzeug.security, not per request).
    counting(services, "check_password_hash")
    counting(account_model, "check_password_hash")
    counting(account_model, "generate_password_hash")
    return calls


def _token(client) -> str:
    page = client.get("/accounts/login").get_data(as_text=True)
    return TOKEN.search(page).group(0).split('value="')[1].rstrip('"')


def _neutral(response, email: str) -> str:
    """The page without what differs by design: the CSRF token, the nonce, the email typed back."""
    page = NONCE.sub("", TOKEN.sub("", response.get_data(as_text=True)))
    return page.replace(email, "EMAIL")


def test_sign_in_failures_look_and_cost_the_same(app, client, world, hashing):
    app.config["WTF_CSRF_ENABLED"] = True
    tenant, other = world.users["tenant"], world.users["other_agent"]
    other.active = False
    db.session.commit()
    attempts = {
        "unknown email": ("nobody-here@example.com", PASSWORD),
        "wrong password": (tenant.email, "wrong-pass-9"),
        "deactivated": (other.email, PASSWORD),
    }
    answers = {}
    for case, (email, password) in attempts.items():
        hashing.clear()
        data = {"email": email, "password": password, "csrf_token": _token(client)}
        response = client.post("/accounts/login", data=data)
        assert response.status_code == 422, case
        assert hashing == Counter(check_password_hash=1), (case, hashing)
        answers[case] = (_neutral(response, email), tuple(sorted(response.headers.keys())))
    assert "邮箱或密码不正确" in answers["unknown email"][0]
    assert len(set(answers.values())) == 1


def test_registering_a_known_email_is_neutral_and_costs_the_same(client, world, hashing):
    form = {"password": "long-pass-123", "confirm": "long-pass-123", "role": "tenant", "name": "甲"}
    known = world.users["tenant"].email.upper()
    users = select(func.count()).select_from(User)
    emails = select(func.count()).select_from(OutboundEmail)
    before, sent = db.session.scalar(users), db.session.scalar(emails)
    answers = {}
    for case, email in (("known", known), ("fresh", "fresh@example.com")):
        hashing.clear()
        response = client.post("/accounts/register", data={**form, "email": email})
        page = client.get(response.headers["Location"])
        answers[case] = (
            response.status_code,
            response.headers["Location"],
            tuple(sorted(response.headers.keys())),
            _neutral(page, email.lower()),
            dict(hashing),
        )
    assert answers["known"] == answers["fresh"]
    assert answers["known"][:2] == (302, "/accounts/register/sent")
    assert answers["known"][4] == {"generate_password_hash": 1}
    for telling in ("已存在", "已被注册", "已注册", "exists", "taken"):
        assert telling not in answers["known"][3]
    assert db.session.scalar(users) == before + 1, "only the fresh address made an account"
    assert db.session.scalar(emails) == sent + 2, "each address got its email"
