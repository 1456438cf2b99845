"""Maps: coordinate conversion, tiles, and pages that load nothing from other hosts."""

from __future__ import annotations

import html
import json
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.geo.transform import bd09_to_wgs84, gcj02_to_wgs84, wgs84_to_gcj02
from app.models import Article, Building, Park


def test_wgs84_to_gcj02_matches_published_reference_values():
    # Reference pair from the test suite of the gcoord library (lon 123, lat 45).
    lat, lon = wgs84_to_gcj02(45.0, 123.0)
    assert lat == pytest.approx(45.00197815, abs=1e-6)
    assert lon == pytest.approx(123.00607541, abs=1e-6)


def test_gcj02_offset_around_zhuji_is_about_half_a_kilometre():
    # reference-points.md: GCJ minus WGS is about -0.0025° lat, +0.0044° lon near 诸暨.
    lat, lon = wgs84_to_gcj02(29.7121, 120.2371)
    assert lat - 29.7121 == pytest.approx(-0.0025, abs=0.0004)
    assert lon - 120.2371 == pytest.approx(0.0044, abs=0.0004)


def test_conversions_round_trip():
    lat, lon = gcj02_to_wgs84(*wgs84_to_gcj02(29.95, 120.12))
    assert (lat, lon) == (pytest.approx(29.95, abs=1e-6), pytest.approx(120.12, abs=1e-6))
    # BD-09 of the reference point (gcoord): WGS-84 (123, 45) -> BD-09 (123.0124491, 45.0083293).
    lat, lon = bd09_to_wgs84(45.0083293, 123.0124491)
    assert (lat, lon) == (pytest.approx(45.0, abs=1e-5), pytest.approx(123.0, abs=1e-5))


def _marker_points(page: str) -> list[tuple[float, float]]:
    """The points a page's map frame carries for its script to draw."""
    found = re.search(r"data-map='([^']*)'", page)
    assert found, "the page has a map frame with its points"
    return [(row[0], row[1]) for row in json.loads(html.unescape(found[1]))["points"]]


def test_amap_tiles_draw_every_point_in_gcj02(app, client, demo):
    b = db.session.scalars(select(Building).where(Building.park_id.is_not(None))).first()
    osm = _marker_points(client.get(f"/listings/{b.id}").get_data(as_text=True))
    assert (pytest.approx(b.lat), pytest.approx(b.lon)) in [(x, y) for x, y in osm]
    app.config["MAP_TILES"] = "amap"
    page = client.get(f"/listings/{b.id}").get_data(as_text=True)
    assert "autonavi.com" in page
    expected = wgs84_to_gcj02(b.lat, b.lon)
    amap = _marker_points(page)
    assert any(
        x == pytest.approx(expected[0], abs=1e-6) and y == pytest.approx(expected[1], abs=1e-6)
        for x, y in amap
    )
    assert not any(x == pytest.approx(b.lat, abs=1e-9) for x, _ in amap)


def _pages(client) -> list[str]:
    b = db.session.scalars(select(Building)).first()
    park = db.session.scalars(select(Park)).first()
    article = db.session.scalars(select(Article)).first()
    return [
        "/",
        "/listings/",
        "/listings/?q=次坞&near=诸暨站&radius_km=20",
        f"/listings/{b.id}",
        f"/listings/compare?ids={b.id}",
        "/parks/",
        f"/parks/{park.slug}",
        "/news/",
        f"/news/{article.id}",
        "/accounts/login",
    ]


def test_no_page_loads_a_script_or_stylesheet_from_another_host(client, demo):
    for url in _pages(client):
        page = client.get(url).get_data(as_text=True)
        sources = re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", page)
        sheets = re.findall(r"<link[^>]*rel=\"stylesheet\"[^>]*href=\"([^\"]+)\"", page)
        sheets += re.findall(r"<link[^>]*href=\"([^\"]+)\"[^>]*rel=\"stylesheet\"", page)
        assert sources, url
        for ref in sources + sheets:
            assert ref.startswith("/") and not ref.startswith("//"), (url, ref)
        # Nonces and CSRF tokens are random letters, which may spell "cdn" by chance; a value
        # without a slash is no address anyway.
        fixed = re.sub(r'(nonce|value)="[^"/]*"', "", page)
        assert "cdn" not in fixed.lower(), url


def test_vendor_assets_are_served(client):
    for path in (
        "/vendor/leaflet/leaflet.js",
        "/vendor/leaflet/leaflet.css",
        "/vendor/leaflet/images/marker-icon.png",
        "/vendor/jquery/jquery.min.js",
        "/vendor/leaflet-markercluster/leaflet.markercluster.js",
    ):
        with client.get(path) as response:
            assert response.status_code == 200, path
    assert client.get("/vendor/leaflet/../../etc/passwd").status_code == 404
    assert client.get("/vendor/nothing/x.js").status_code == 404
