"""The Atom feed and the sitemap: valid XML with the right content type and the right pages."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sqlalchemy import select

from app.extensions import db
from app.models import Article, Building, Park

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_atom_feed_is_valid_and_lists_the_newest_articles(app, client, seed_article):
    response = client.get("/news/feed")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    for child in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{child}") is not None, child
    assert (
        feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{app.config['SITE_URL']}/news/feed"
    )
    entries = feed.findall(f"{ATOM}entry")
    published = db.session.scalars(select(Article).where(Article.status == "published")).all()
    assert len(entries) == len(published)
    for entry in entries:
        for child in ("id", "title", "updated", "published", "link", "content"):
            assert entry.find(f"{ATOM}{child}") is not None, child
    seed = next(e for e in entries if e.findtext(f"{ATOM}title") == seed_article.title)
    assert seed.findtext(f"{ATOM}id") == f"{app.config['SITE_URL']}/news/{seed_article.id}"
    assert seed.findtext(f"{ATOM}published") == "2019-04-15T23:33:04+08:00"
    assert seed.find(f"{ATOM}category").get("term") == "特色小镇产业园"
    assert "<h3>" in seed.findtext(f"{ATOM}content")


def test_empty_feed_is_still_valid(client, app):
    feed = ET.fromstring(client.get("/news/feed").data)
    assert feed.findall(f"{ATOM}entry") == [] and feed.findtext(f"{ATOM}updated")


def test_sitemap_lists_buildings_parks_places_and_articles(app, client, seed_article):
    hidden = db.session.scalars(select(Building)).first()
    hidden.status = "hidden"
    db.session.commit()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{SITEMAP}urlset"
    locs = {url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")}
    base = app.config["SITE_URL"]
    assert {f"{base}/", f"{base}/listings/", f"{base}/parks/", f"{base}/news/"} <= locs
    assert {f"{base}/market/", f"{base}/places/shaoxing", f"{base}/places/ciwu"} <= locs
    assert f"{base}/places/xiaoshan" not in locs  # outside the region: no page
    for park in db.session.scalars(select(Park)):
        assert f"{base}/parks/{park.slug}" in locs
    for building in db.session.scalars(select(Building)):
        assert (f"{base}/listings/{building.id}" in locs) == (building.status == "published")
    for article in db.session.scalars(select(Article)):
        assert f"{base}/news/{article.id}" in locs
