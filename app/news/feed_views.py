"""The Atom feed of the news (/news/feed) and the site's sitemap (/sitemap.xml)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

from flask import Blueprint, Response
from sqlalchemy import select

from app.atom import ATOM
from app.atom import sub as _sub
from app.atom import utc as _utc
from app.extensions import db
from app.filters import site_url
from app.listings.services import published as published_buildings
from app.market.services import PAGE_KINDS as PLACE_PAGE_KINDS
from app.models import Article, Building, Park, Place
from app.news import services

bp = Blueprint("feeds", __name__)
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_SIZE = 30


def _local(moment: datetime) -> str:
    """RFC 3339 for a naive Beijing time (an article's publication time)."""
    return moment.replace(tzinfo=services.CHINA_TIME).isoformat(timespec="seconds")


def atom_feed(articles: list[Article]) -> bytes:
    """An Atom 1.0 document of the articles; links are absolute."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})
    home = site_url("news.index")
    _sub(feed, "id", home)
    _sub(feed, "title", "绍兴诸暨写字楼网 · 新闻中心")
    _sub(feed, "subtitle", "特色小镇产业园、招商动态、交通与楼市资讯")
    updated = max((a.updated_at for a in articles), default=None)
    _sub(feed, "updated", _utc(updated) if updated else _utc(datetime(2000, 1, 1)))
    this = site_url("feeds.atom")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=this)
    _sub(feed, "link", rel="alternate", type="text/html", href=home)
    _sub(_sub(feed, "author"), "name", "绍兴诸暨写字楼网")
    for article in articles:
        url = site_url("news.article", article_id=article.id)
        entry = _sub(feed, "entry")
        _sub(entry, "id", url)
        _sub(entry, "title", article.title)
        _sub(entry, "link", rel="alternate", type="text/html", href=url)
        _sub(entry, "published", _local(article.published_at))
        _sub(entry, "updated", _utc(article.updated_at))
        _sub(_sub(entry, "author"), "name", article.editor or article.source or "编辑部")
        _sub(entry, "category", term=article.category)
        if article.summary:
            _sub(entry, "summary", article.summary)
        _sub(entry, "content", article.body, type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def sitemap_urls() -> list[tuple[str, datetime | None]]:
    """Every public page worth indexing, with when it last changed if known."""
    urls: list[tuple[str, datetime | None]] = [
        (site_url(endpoint), None)
        for endpoint in (
            "main.index",
            "listings.search",
            "parks.index",
            "news.index",
            "market.index",
        )
    ]
    urls += [
        (site_url("news.category", name=name), None)
        for name, count in services.categories()
        if count
    ]
    pages = select(Place.slug).where(Place.kind.in_(PLACE_PAGE_KINDS), Place.in_region.is_(True))
    for slug in db.session.scalars(pages.order_by(Place.slug)):
        urls.append((site_url("market.place", slug=slug), None))
    for slug in db.session.scalars(select(Park.slug).order_by(Park.slug)):
        urls.append((site_url("parks.park", slug=slug), None))
    buildings = published_buildings().with_only_columns(Building.id, Building.updated_at)
    for building_id, updated in db.session.execute(buildings.order_by(Building.id)):
        url = site_url("listings.building", building_id=building_id)
        urls.append((url, updated))
    articles = services.published().with_only_columns(Article.id, Article.updated_at)
    for article_id, updated in db.session.execute(articles.order_by(Article.id)):
        url = site_url("news.article", article_id=article_id)
        urls.append((url, updated))
    return urls


def sitemap(urls: list[tuple[str, datetime | None]]) -> bytes:
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for loc, lastmod in urls:
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = loc
        if lastmod is not None:
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = lastmod.date().isoformat()
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@bp.get("/news/feed")
def atom():
    """Serve the Atom feed of the newest articles."""
    body = atom_feed(services.latest_articles(FEED_SIZE))
    return Response(body, content_type="application/atom+xml; charset=utf-8")


@bp.get("/sitemap.xml")
def sitemap_xml():
    """Serve the sitemap of buildings, parks and articles."""
    return Response(sitemap(sitemap_urls()), mimetype="application/xml")
