"""CSRF: every state-changing request without the form's token is refused and changes nothing."""

from __future__ import annotations

import re

from app.extensions import db
from tests.security.conftest import row_counts
from tests.security.routes import all_writes, fill, form_data, urls_for, write_rules

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _known_urls(ids: dict) -> dict:
    return {fill(write.url, ids): write for write in all_writes().values()}


def _post(client, url, data):
    return client.post(url, data=data, content_type="multipart/form-data")


def test_every_write_route_refuses_a_request_without_the_token(app, client, demo_world):
    app.config["WTF_CSRF_ENABLED"] = True
    ids = demo_world.ids
    known = _known_urls(ids)
    urls = [url for rule in write_rules(app) for url in urls_for(rule, ids)]
    assert len(urls) >= 30
    missing = [url for url in urls if url not in known]
    assert not missing, f"write routes the security tests cannot build data for: {missing}"
    for role in ("anonymous", "admin"):
        demo_world.sign_in(client, role)
        before = row_counts()
        for url in urls:
            response = _post(client, url, form_data(known[url], ids))
            assert response.status_code == 400, (role, url, response.status_code)
            assert "安全令牌" in response.get_data(as_text=True), url
            db.session.expire_all()
        assert row_counts() == before, role


def test_the_same_requests_with_the_token_pass_the_check(app, client, demo_world):
    """The control: the refusals above come from the missing token, not from the data."""
    app.config["WTF_CSRF_ENABLED"] = True
    ids = demo_world.ids
    known = _known_urls(ids)
    demo_world.sign_in(client, "admin")
    for rule in write_rules(app):
        for url in urls_for(rule, ids):
            page = client.get("/accounts/profile").get_data(as_text=True)
            data = dict(form_data(known[url], ids), csrf_token=TOKEN.search(page).group(1))
            response = _post(client, url, data)
            assert "安全令牌" not in response.get_data(as_text=True), url
            assert response.status_code in (200, 302, 409, 422), (url, response.status_code)
            demo_world.sign_in(client, "admin")  # logout and login change who is signed in


def test_a_token_from_another_session_is_refused(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = True
    other = app.test_client()
    page = other.get("/accounts/login").get_data(as_text=True)
    stolen = TOKEN.search(page).group(1)
    world.sign_in(client, "owner")
    before = row_counts()
    response = client.post(
        "/agent/units/{unit}/delete".format(**world.ids), data={"csrf_token": stolen}
    )
    assert response.status_code == 400
    assert row_counts() == before
