"""Password reset by email: one answer whoever asks, a link that works once and for an hour, and
every other session signed out when it is used."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.accounts import services, tokens
from app.extensions import db
from app.models import OutboundEmail
from app.models.base import utcnow
from tests.accounts.conftest import link_in, sign_in_form
from tests.factories import PASSWORD, UserFactory

NEW = {"password": "new-pass-2024", "confirm": "new-pass-2024"}
ANSWER = "如果该邮箱已注册，我们已发送重置链接"


def _page(response) -> str:
    """The page less what differs on every request anyway."""
    html = re.sub(r'nonce="[^"]+"', 'nonce=""', response.get_data(as_text=True))
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "csrf", html)


def _token(path: str) -> str:
    return path.rsplit("/", 1)[1]


def _set_password(client, path: str, **changes):
    """Open the emailed link and submit the form it shows."""
    page = client.get(path)
    assert page.status_code == 200 and "设置新密码" in page.get_data(as_text=True)
    return client.post("/accounts/reset/set", data={"token": _token(path), **NEW, **changes})


def test_the_answer_is_the_same_for_an_unknown_address(client, user, mailbox):
    known = client.post("/accounts/reset", data={"email": "Lin@Example.com"})
    unknown = client.post("/accounts/reset", data={"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"] == "/accounts/reset"
    page = client.get("/accounts/reset")  # the flash of the second request
    assert ANSWER in page.get_data(as_text=True)
    (message,) = mailbox.wait_for(1)
    assert message["To"].addresses[0].addr_spec == "lin@example.com"
    assert message["Subject"] == "重置您的密码"
    assert "1 小时内有效" in message.get_body(("plain",)).get_content()
    assert db.session.query(OutboundEmail).count() == 1
    # Both answers, followed, read the same.
    first = client.post("/accounts/reset", data={"email": "lin@example.com"}, follow_redirects=True)
    second = client.post("/accounts/reset", data={"email": "x@example.com"}, follow_redirects=True)
    assert _page(first) == _page(second) and ANSWER in _page(first)


def test_a_bad_address_is_refused_beside_the_field(client):
    response = client.post("/accounts/reset", data={"email": "not-an-email"})
    assert response.status_code == 422
    assert "邮箱格式不正确" in response.get_data(as_text=True)


def test_the_link_sets_a_password_once_and_signs_in_here(client, user, mailbox):
    client.post("/accounts/reset", data={"email": user.email})
    (message,) = mailbox.wait_for(1)
    path = link_in(message)
    response = _set_password(client, path)
    assert response.status_code == 302 and response.headers["Location"] == "/accounts/profile"
    page = client.get("/accounts/profile").get_data(as_text=True)
    assert "密码已重置" in page and "其他设备和浏览器上的登录已全部退出" in page
    assert user.check_password(NEW["password"]) and not user.check_password(PASSWORD)
    assert user.email_verified_at is not None  # the owner read the address's mail
    notice = mailbox.wait_for(2)[1]
    assert notice["Subject"] == "您的密码已修改"
    assert "密码刚刚通过邮件中的链接重置" in notice.get_body(("plain",)).get_content()

    again = client.get(path)
    assert again.status_code == 410
    assert "该重置链接已使用或已失效" in again.get_data(as_text=True)
    replay = client.post("/accounts/reset/set", data={"token": _token(path), **NEW})
    assert replay.status_code == 410

    other = client.application.test_client()
    sign_in_form(other, user.email, NEW["password"])


def test_the_link_expires_after_an_hour(client, user):
    issued = utcnow() - timedelta(hours=1, seconds=1)
    token = tokens.make(tokens.RESET, {"u": user.id, "v": user.session_version}, now=issued)
    response = client.get(f"/accounts/reset/{token}")
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    assert "重置链接已过期（有效期 1 小时）" in page and "重新申请重置密码" in page
    response = client.post("/accounts/reset/set", data={"token": token, **NEW})
    assert response.status_code == 410 and user.check_password(PASSWORD)
    # The same link an hour after it was issued still works (the service is told the time).
    assert services.user_for_reset(token, now=issued + timedelta(hours=1)) is user


def test_a_forged_link_gets_a_page_not_an_error(client, user):
    for path in ("/accounts/reset/forged", f"/accounts/reset/{'x' * 400}"):
        response = client.get(path)
        assert response.status_code == 400 and "链接无效" in response.get_data(as_text=True)
    verify = tokens.make(tokens.VERIFY, {"u": user.id, "v": 0})
    assert client.get(f"/accounts/reset/{verify}").status_code == 400
    response = client.post("/accounts/reset/set", data=NEW)
    assert response.status_code == 400 and user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"password": "short1", "confirm": "short1"}, "密码至少 10 位"),
        ({"password": "abcdefghij", "confirm": "abcdefghij"}, "须同时包含字母和数字"),
        ({"confirm": "other-pass-1"}, "两次输入的密码不一致"),
    ],
)
def test_a_weak_new_password_is_refused_and_the_link_still_works(client, user, changes, message):
    token = tokens.make(tokens.RESET, {"u": user.id, "v": user.session_version})
    response = _set_password(client, f"/accounts/reset/{token}", **changes)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert user.check_password(PASSWORD)
    assert _set_password(client, f"/accounts/reset/{token}").status_code == 302


def test_a_reset_signs_out_every_other_session(app, client, user, mailbox):
    laptop = app.test_client()
    sign_in_form(laptop, user.email, PASSWORD, remember=True)
    cookie = laptop.get_cookie("remember_token")
    assert cookie is not None
    assert laptop.get("/accounts/profile").status_code == 200

    client.post("/accounts/reset", data={"email": user.email})
    (message,) = mailbox.wait_for(1)
    assert _set_password(client, link_in(message)).status_code == 302

    response = laptop.get("/accounts/profile")
    assert response.status_code == 302 and response.headers["Location"].startswith(
        "/accounts/login"
    )
    # The remember cookie alone, in a fresh browser, opens nothing either.
    replay = app.test_client()
    replay.set_cookie("remember_token", cookie.value)
    assert replay.get("/accounts/profile").status_code == 302
    assert client.get("/accounts/profile").status_code == 200


def test_an_inactive_account_gets_no_link(client, mailbox):
    UserFactory(email="gone@example.com", active=False)
    db.session.commit()
    response = client.post("/accounts/reset", data={"email": "gone@example.com"})
    assert response.status_code == 302
    assert db.session.query(OutboundEmail).count() == 0


def test_reset_requests_are_rate_limited_per_address(limited):
    UserFactory(email="busy@example.com")
    db.session.commit()
    codes = [
        limited.post("/accounts/reset", data={"email": "busy@example.com"}).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 302]
    response = limited.post("/accounts/reset", data={"email": "BUSY@example.com"})
    assert response.status_code == 429 and "操作过于频繁" in response.get_data(as_text=True)
    # An unknown address is limited alike (the limit tells nothing), another address is not.
    for _ in range(3):
        limited.post("/accounts/reset", data={"email": "ghost@example.com"})
    assert limited.post("/accounts/reset", data={"email": "ghost@example.com"}).status_code == 429
    assert limited.post("/accounts/reset", data={"email": "other@example.com"}).status_code == 302
    assert limited.get("/accounts/reset").status_code == 200


def test_on_rq_a_worker_looks_the_address_up_and_sends_the_link(client, user, mailbox, rq_worker):
    response = client.post("/accounts/reset", data={"email": user.email})
    assert response.status_code == 302
    assert mailbox.messages == [] and db.session.query(OutboundEmail).count() == 0
    rq_worker()  # the job stores the email; the delivery job it enqueues sends it
    (message,) = mailbox.wait_for(1)
    assert _set_password(client, link_in(message)).status_code == 302
