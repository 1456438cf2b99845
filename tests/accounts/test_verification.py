"""Registration emails a verification link; the link verifies the address once it arrives, and an
unverified user is reminded, with 重新发送."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts import services, tokens
from app.extensions import db
from app.models import User
from app.models.base import utcnow
from tests.accounts.conftest import link_in
from tests.factories import PASSWORD, UserFactory
from tests.helpers import sign_in

REGISTRATION = {
    "email": "Chen.Tenant@Example.com",
    "password": "abcd123456x",
    "confirm": "abcd123456x",
    "role": "tenant",
    "name": "陈先生",
}


def _registered() -> User:
    return db.session.scalar(select(User).where(User.email == "chen.tenant@example.com"))


def test_registration_emails_a_link_that_verifies_the_address(client, mailbox):
    response = client.post("/accounts/register", data=REGISTRATION, follow_redirects=True)
    assert "我们已向 <strong>chen.tenant@example.com</strong> 发送了一封邮件" in response.get_data(
        as_text=True
    )
    (message,) = mailbox.wait_for(1)
    assert message["To"].addresses[0].addr_spec == "chen.tenant@example.com"
    assert message["Subject"] == "请验证您的邮箱"
    assert "陈先生，您好" in message.get_body(("plain",)).get_content()
    assert "3 天内有效" in message.get_body(("html",)).get_content()
    assert _registered().email_verified_at is None
    sign_in(client, _registered())  # with the password, before following the link
    page = client.get("/accounts/profile").get_data(as_text=True)
    assert "尚未验证" in page and "重新发送" in page

    response = client.get(link_in(message), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "邮箱验证成功" in page
    assert "尚未验证" not in page
    assert _registered().email_verified_at is not None


def test_the_link_verifies_without_being_signed_in(app, client, mailbox):
    client.post("/accounts/register", data=REGISTRATION)
    (message,) = mailbox.wait_for(1)
    stranger = app.test_client()  # the email opened on another device
    response = stranger.get(link_in(message), follow_redirects=True)
    assert "邮箱验证成功，已为您登录" in response.get_data(as_text=True)
    assert _registered().email_verified_at is not None
    assert stranger.get("/accounts/profile").status_code == 200, "the first use signs in"


def test_resend_sends_a_new_link_and_stops_once_verified(client, user, mailbox):
    sign_in(client, user)
    response = client.post(
        "/accounts/verify/resend", data={"next": "/accounts/profile"}, follow_redirects=True
    )
    assert "验证邮件已发送至 lin@example.com" in response.get_data(as_text=True)
    client.post("/accounts/verify/resend")
    first, second = mailbox.wait_for(2)
    assert link_in(first) != link_in(second) or first["Message-ID"] != second["Message-ID"]
    client.get(link_in(second))
    assert user.email_verified_at is not None
    response = client.post("/accounts/verify/resend", follow_redirects=True)
    assert "您的邮箱已验证" in response.get_data(as_text=True)
    assert len(mailbox.messages) == 2


def test_resend_is_for_signed_in_users(client):
    response = client.post("/accounts/verify/resend")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login")


def test_resend_is_rate_limited(limited):
    user = UserFactory()
    db.session.commit()
    sign_in(limited, user)
    assert limited.post("/accounts/verify/resend").status_code == 302
    response = limited.post("/accounts/verify/resend")
    assert response.status_code == 429
    assert "操作过于频繁" in response.get_data(as_text=True)


def test_an_expired_link_says_so(client, user):
    issued = utcnow() - timedelta(days=3, seconds=1)
    token = tokens.make(tokens.VERIFY, {"u": user.id, "e": user.email}, now=issued)
    response = client.get(f"/accounts/verify/{token}")
    assert response.status_code == 410
    assert "验证链接已过期" in response.get_data(as_text=True)
    assert user.email_verified_at is None
    # Within its three days the same kind of link works.
    fresh = tokens.make(tokens.VERIFY, {"u": user.id, "e": user.email}, now=issued)
    services.verify_email(fresh, now=issued + timedelta(days=3))
    assert user.email_verified_at is not None


def test_a_forged_or_stale_link_is_refused_with_a_page(client, user):
    response = client.get("/accounts/verify/not-a-real-token")
    assert response.status_code == 400
    assert "链接无效" in response.get_data(as_text=True)
    # A reset link is not a verification link, whatever it carries.
    reset = tokens.make(tokens.RESET, {"u": user.id, "e": user.email})
    assert client.get(f"/accounts/verify/{reset}").status_code == 400
    # A link sent to an address the account no longer has.
    old = tokens.make(tokens.VERIFY, {"u": user.id, "e": "old@example.com"})
    response = client.get(f"/accounts/verify/{old}")
    assert response.status_code == 410 and "已失效" in response.get_data(as_text=True)
    assert user.email_verified_at is None


def test_signing_in_unverified_says_so_and_verified_does_not(client, user):
    response = client.post(
        "/accounts/login", data={"email": user.email, "password": PASSWORD}, follow_redirects=True
    )
    assert "您的邮箱尚未验证" in response.get_data(as_text=True)
    assert "重新发送" in client.get("/accounts/password").get_data(as_text=True)
    user.email_verified_at = utcnow()
    db.session.commit()
    response = client.post(
        "/accounts/login", data={"email": user.email, "password": PASSWORD}, follow_redirects=True
    )
    assert "登录成功" in response.get_data(as_text=True)
    assert "尚未验证" not in response.get_data(as_text=True)
    assert "重新发送" not in client.get("/accounts/profile").get_data(as_text=True)
