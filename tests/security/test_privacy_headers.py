"""What a response lets others keep: HSTS in production, no cache of a signed-in page, images
only from the site and its tile server, and none from another host inside an article."""

from __future__ import annotations

import pytest

from app import create_app
from app.extensions import db
from app.news.sanitize import clean_html
from tests.factories import UserFactory
from tests.helpers import sign_in

PIXEL = (
    '<p>正文</p><img src="https://tracker.example/p.gif?u=1" alt="x">'
    '<img src="//cdn.example/a.png">'
)


def test_production_pins_https_and_development_does_not(database_url, tmp_path, client):
    app = create_app(
        {
            "CONFIG": "production",
            "SECRET_KEY": "a-long-random-production-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_STORAGE_URI": "memory://",
            "UPLOAD_FOLDER": str(tmp_path),
        }
    )
    try:
        hsts = app.test_client().get("/accounts/login").headers.get("Strict-Transport-Security", "")
    finally:
        with app.app_context():
            db.engine.dispose()
    assert hsts.startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_a_signed_in_page_is_never_stored_and_a_public_one_may_be(app, client, demo):
    public = client.get("/listings/")
    assert "no-store" not in public.headers.get("Cache-Control", "")
    sign_in(client, UserFactory(role="agent"))
    for path in ("/listings/", "/agent/", "/accounts/profile"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response.headers["Cache-Control"], path


@pytest.mark.parametrize(
    "tiles, origin",
    [("osm", "https://tile.openstreetmap.org"), ("amap", "https://*.is.autonavi.com")],
)
def test_images_come_only_from_the_site_and_its_tile_server(app, client, tiles, origin):
    app.config["MAP_TILES"] = tiles
    policy = client.get("/").headers["Content-Security-Policy"]
    img = next(p for p in policy.split("; ") if p.startswith("img-src"))
    assert img == f"img-src 'self' data: blob: {origin}"


def test_an_article_keeps_its_own_images_and_loses_other_hosts(app):
    cleaned = clean_html(PIXEL + '<img src="/media/abc.jpg" alt="楼">')
    assert "tracker.example" not in cleaned and "cdn.example" not in cleaned
    assert '<img src="/media/abc.jpg" alt="楼">' in cleaned
