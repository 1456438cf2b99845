"""Changing a password keeps this session and signs out every other one; sessions and remember
cookies carry the session version they were made under."""

from __future__ import annotations

import pytest

from app.accounts.decorators import load_user
from app.extensions import db
from tests.accounts.conftest import sign_in_form
from tests.factories import PASSWORD, AgentFactory
from tests.helpers import sign_in

CHANGE = {"current": PASSWORD, "password": "changed-pass-9", "confirm": "changed-pass-9"}


def _signed_out(client, path: str = "/accounts/profile") -> bool:
    response = client.get(path)
    return response.status_code == 302 and response.headers["Location"].startswith(
        "/accounts/login"
    )


def test_the_form_is_for_signed_in_users(client):
    assert _signed_out(client, "/accounts/password")
    response = client.post("/accounts/password", data=CHANGE)
    assert response.status_code == 302 and response.headers["Location"].startswith(
        "/accounts/login"
    )


def test_profile_links_to_the_password_form(client, user):
    sign_in(client, user)
    assert 'href="/accounts/password"' in client.get("/accounts/profile").get_data(as_text=True)
    page = client.get("/accounts/password").get_data(as_text=True)
    assert "当前密码" in page and "确认新密码" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"current": "wrong-pass-1"}, "当前密码不正确"),
        ({"current": ""}, "请输入当前密码"),
        ({"password": "short1", "confirm": "short1"}, "密码至少 10 位"),
        ({"password": "1234567890", "confirm": "1234567890"}, "须同时包含字母和数字"),
        ({"confirm": "changed-pass-8"}, "两次输入的密码不一致"),
        ({"password": PASSWORD, "confirm": PASSWORD}, "新密码不能与当前密码相同"),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(client, user, changes, message):
    sign_in(client, user)
    response = client.post("/accounts/password", data={**CHANGE, **changes})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert user.check_password(PASSWORD) and user.session_version == 0


def test_a_change_keeps_this_session_and_signs_out_the_others(app, client, user, mailbox):
    sign_in_form(client, user.email, PASSWORD)
    phone = app.test_client()
    sign_in_form(phone, user.email, PASSWORD, remember=True)
    cookie = phone.get_cookie("remember_token")
    remembered = app.test_client()  # a browser whose session ended, holding the cookie only
    remembered.set_cookie("remember_token", cookie.value)
    assert remembered.get("/accounts/profile").status_code == 200

    response = client.post("/accounts/password", data=CHANGE, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "密码已修改" in page
    assert "其他设备和浏览器上的登录已全部退出" in page
    assert user.check_password("changed-pass-9") and user.session_version == 1
    (notice,) = mailbox.wait_for(1)  # in case it was not the owner
    assert notice["Subject"] == "您的密码已修改"
    text = notice.get_body(("plain",)).get_content()
    assert "lin@example.com）的密码刚刚被修改" in text and "/accounts/reset" in text

    assert client.get("/accounts/profile").status_code == 200  # this session stays
    assert _signed_out(phone)
    fresh = app.test_client()
    fresh.set_cookie("remember_token", cookie.value)
    assert _signed_out(fresh)
    sign_in_form(app.test_client(), user.email, "changed-pass-9")


def test_a_remembered_browser_keeps_a_new_cookie_after_its_own_change(app, client, user):
    sign_in_form(client, user.email, PASSWORD, remember=True)
    old = client.get_cookie("remember_token").value
    assert client.post("/accounts/password", data=CHANGE).status_code == 302
    new = client.get_cookie("remember_token").value
    assert new != old
    later = app.test_client()  # the same browser after its session cookie expired
    later.set_cookie("remember_token", new)
    assert later.get("/accounts/profile").status_code == 200


def test_agent_pages_refuse_a_replayed_session_after_a_change(app, client):
    agent = AgentFactory(email="agent@example.com")
    db.session.commit()
    stolen = app.test_client()
    sign_in_form(stolen, agent.email, PASSWORD)
    assert stolen.get("/agent/").status_code == 200
    with stolen.session_transaction() as session:
        copied = dict(session)
    sign_in_form(client, agent.email, PASSWORD)
    assert client.post("/accounts/password", data=CHANGE).status_code == 302
    replay = app.test_client()
    with replay.session_transaction() as session:
        session.update(copied)
    assert _signed_out(replay, "/agent/")
    assert client.get("/agent/").status_code == 200


def test_the_user_loader_wants_the_current_session_version(user):
    assert load_user(f"{user.id}:0") is user
    user.session_version = 3
    assert load_user(f"{user.id}:3") is user
    huge = "9" * 19
    refused = [f"{user.id}:2", str(user.id), f"{user.id}:", f"{user.id}:x", "x:3", ""]
    refused += [f"{huge}:0", f"{user.id}:{huge}", f"{'٠' * 3}{user.id}:3"]
    for session_id in refused:
        assert load_user(session_id) is None, session_id


def test_a_session_from_before_versions_is_signed_out(client, user):
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)  # as sessions were kept before session versions
        session["_fresh"] = True
    assert _signed_out(client)
