"""Links that leave the site (emails, the feed, the sitemap) are built on SITE_URL, never on the
Host a request names: a forged Host cannot put its own server into a password reset link."""

from __future__ import annotations

import re

from app.extensions import db
from tests.factories import UserFactory

FORGED = {"Host": "evil.example"}


def test_a_reset_link_asked_for_under_a_forged_host_points_at_the_site(app, client, mailbox):
    app.config["SITE_URL"] = "https://xzl.example.cn"
    user = UserFactory(email="owner@example.com")
    db.session.commit()  # the request has a session of its own
    token = client.get("/accounts/reset", headers=FORGED).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', token)
    data = {"email": user.email, **({"csrf_token": csrf[1]} if csrf else {})}
    client.post("/accounts/reset", data=data, headers=FORGED)
    (message,) = mailbox.wait_for(1)
    text = message.get_body(("plain",)).get_content()
    assert "evil.example" not in str(message)
    assert re.search(r"https://xzl\.example\.cn/accounts/reset/\S+", text), text


def test_feed_and_sitemap_links_are_the_sites_whatever_the_host(app, client, demo):
    app.config["SITE_URL"] = "https://xzl.example.cn"
    for path in ("/news/feed", "/sitemap.xml"):
        body = client.get(path, headers=FORGED).get_data(as_text=True)
        assert "evil.example" not in body, path
        assert "https://xzl.example.cn/news/" in body, path
