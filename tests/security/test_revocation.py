"""Sessions that can be revoked: a session or remember cookie copied before a sign-out, and
replayed after it, signs nobody in; an admin signs a user out everywhere (issue 21, item 4)."""

from __future__ import annotations

from app.extensions import db
from tests.accounts.conftest import sign_in_form
from tests.factories import PASSWORD, AgentFactory, UserFactory
from tests.helpers import sign_in


def _replayed(app, cookies: dict[str, str]):
    """A new browser holding copies of the given cookies: the attacker's, or a stale device."""
    browser = app.test_client()
    for name, value in cookies.items():
        browser.set_cookie(name, value)
    return browser


def _signed_in(client) -> bool:
    return client.get("/agent/").status_code == 200


def test_a_cookie_copied_before_logout_opens_nothing_after_it(app, client):
    agent = AgentFactory()
    db.session.commit()
    sign_in_form(client, agent.email, PASSWORD, remember=True)
    session_cookie = client.get_cookie("session").value
    remember_cookie = client.get_cookie("remember_token").value
    assert _signed_in(_replayed(app, {"session": session_cookie}))
    assert _signed_in(_replayed(app, {"remember_token": remember_cookie}))

    response = client.post("/accounts/logout", follow_redirects=True)
    assert "您已退出登录" in response.get_data(as_text=True)

    assert not _signed_in(_replayed(app, {"session": session_cookie}))
    assert not _signed_in(_replayed(app, {"remember_token": remember_cookie}))
    assert not _signed_in(client)
    sign_in_form(client, agent.email, PASSWORD)  # the password still works
    assert _signed_in(client)


def test_an_admin_signs_a_user_out_everywhere(app, client):
    agent, other = AgentFactory(), AgentFactory()
    admin = UserFactory(role="admin")
    db.session.commit()
    phone, desk, bystander = app.test_client(), app.test_client(), app.test_client()
    sign_in_form(phone, agent.email, PASSWORD, remember=True)
    sign_in_form(desk, agent.email, PASSWORD)
    sign_in_form(bystander, other.email, PASSWORD)
    remember_cookie = phone.get_cookie("remember_token").value

    sign_in(client, admin)
    assert "强制下线" in client.get("/admin/users").get_data(as_text=True)
    response = client.post(f"/admin/users/{agent.id}/signout")
    assert response.status_code == 302

    assert not _signed_in(phone) and not _signed_in(desk)
    assert not _signed_in(_replayed(app, {"remember_token": remember_cookie}))
    assert _signed_in(bystander), "only that user is signed out"
    assert client.get("/admin/users").status_code == 200, "the admin stays signed in"
    sign_in_form(phone, agent.email, PASSWORD)
    assert _signed_in(phone)


def test_signing_out_someone_unknown_is_a_404(client):
    admin = UserFactory(role="admin")
    db.session.commit()
    sign_in(client, admin)
    assert client.post("/admin/users/999999/signout").status_code == 404
