"""Sign-in limits that hold and do not lock out (issue 21, item 3): failures are counted per
address, per account from one address and per account, so a flood from one address cannot stop
the right password from another, many addresses only slow an account, and behind a configured
proxy the client's own address is the one counted."""

from __future__ import annotations

import pytest

from app import create_app
from app.extensions import db, limiter
from tests.factories import PASSWORD, UserFactory

TOO_MANY = "操作过于频繁，请稍后再试。"


@pytest.fixture
def limited(database_url):
    """Makes an app with rate limits on (the testing config has them off), counted in memory."""
    made = []

    def make(**settings):
        app = create_app(
            {
                "CONFIG": "testing",
                "SQLALCHEMY_DATABASE_URI": database_url,
                "RATELIMIT_ENABLED": True,
                **settings,
            }
        )
        made.append(app)
        limiter.reset()  # counts of earlier tests' apps are not this one's
        return app

    yield make
    if made:
        limiter.reset()
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def account(app) -> str:
    user = UserFactory(email="lin.tenant@example.com")
    db.session.commit()
    return user.email


def _sign_in(client, email: str, password: str, address: str, forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post(
        "/accounts/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    )


def test_a_flood_from_one_address_does_not_stop_the_right_password_from_another(limited, account):
    client = limited().test_client()
    codes = [_sign_in(client, account, "wrong-pass-9", "10.0.0.66").status_code for _ in range(100)]
    assert codes[:5] == [422] * 5 and set(codes[5:]) == {429}
    refused = _sign_in(client, account, PASSWORD, "10.0.0.66")
    assert refused.status_code == 429 and TOO_MANY in refused.get_data(as_text=True)

    owner = _sign_in(client, account, PASSWORD, "10.0.0.7")
    assert owner.status_code == 302, "the owner signs in from their own address"


def test_many_addresses_slow_an_account_without_locking_it(limited, account):
    client = limited().test_client()
    for n in range(20):  # one wrong guess from each of twenty addresses
        assert _sign_in(client, account, "wrong-pass-9", f"10.1.0.{n}").status_code == 422
    slowed = _sign_in(client, account, PASSWORD, "10.2.0.1")
    assert slowed.status_code == 429
    assert 0 < int(slowed.headers["Retry-After"]) <= 60, "a wait of a minute at most"
    # Another account is not held up by it.
    other = UserFactory(email="other.tenant@example.com")
    db.session.commit()
    assert _sign_in(client, other.email, PASSWORD, "10.2.0.1").status_code == 302


def test_successful_sign_ins_are_not_counted(limited, account):
    client = limited().test_client()
    for _ in range(40):  # a busy office behind one address, signing in all day
        assert _sign_in(client, account, PASSWORD, "10.3.0.1").status_code == 302


def test_one_address_spraying_many_accounts_is_stopped(limited):
    client = limited().test_client()
    codes = [
        _sign_in(client, f"guess{n}@example.com", "wrong-pass-9", "10.4.0.1").status_code
        for n in range(40)
    ]
    assert codes[:30] == [422] * 30 and set(codes[30:]) == {429}


def test_forwarded_addresses_count_only_behind_a_trusted_proxy(limited, account):
    # No proxy configured: a forged X-Forwarded-For changes nothing, the connection's address
    # is counted.
    direct = limited().test_client()
    codes = [
        _sign_in(direct, account, "wrong-pass-9", "10.5.0.1", forwarded=f"1.2.3.{n}").status_code
        for n in range(6)
    ]
    assert codes == [422] * 5 + [429]

    # One trusted proxy: every client comes from its address, each counted as itself.
    behind = limited(TRUSTED_PROXIES=1).test_client()
    for _ in range(10):
        _sign_in(behind, account, "wrong-pass-9", "10.9.9.9", forwarded="203.0.113.5")
    owner = _sign_in(behind, account, PASSWORD, "10.9.9.9", forwarded="198.51.100.7")
    assert owner.status_code == 302


def test_production_refuses_to_count_limits_per_worker(database_url):
    with pytest.raises(RuntimeError, match="REDIS_URL"):
        create_app(
            {
                "CONFIG": "production",
                "SECRET_KEY": "a-real-secret-" + "x" * 32,
                "SQLALCHEMY_DATABASE_URI": database_url,
                "RATELIMIT_STORAGE_URI": None,
            }
        )
