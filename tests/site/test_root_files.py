"""What browsers and crawlers ask of the site's root: robots.txt, the tab and home-screen icons."""

from __future__ import annotations

import io

from PIL import Image


def test_robots_points_to_the_sitemap_and_keeps_private_areas_out(client, app):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {app.config['SITE_URL']}/sitemap.xml" in lines
    for private in ("/agent/", "/admin/", "/accounts/"):
        assert f"Disallow: {private}" in lines
    assert "Disallow: /listings/" not in lines
    assert client.get("/sitemap.xml").status_code == 200


def test_the_icons_are_images_of_their_sizes_and_every_page_names_them(client):
    ico = client.get("/favicon.ico")
    assert ico.status_code == 200 and ico.mimetype == "image/x-icon"
    assert ico.cache_control.max_age >= 86400
    assert Image.open(io.BytesIO(ico.data)).format == "ICO"
    touch = client.get("/apple-touch-icon.png")
    assert touch.mimetype == "image/png"
    assert Image.open(io.BytesIO(touch.data)).size == (180, 180)
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico"' in page
    assert '<link rel="apple-touch-icon" href="/apple-touch-icon.png">' in page
