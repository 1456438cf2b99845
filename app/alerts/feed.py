"""A saved search's private Atom feed (/searches/<token>.atom): its newest matching buildings,
each with what its matching units offer. Produced as the news feed is (app/news/feed_views.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

from app.alerts.conditions import link_args, summary
from app.atom import ATOM
from app.atom import sub as _sub
from app.atom import utc as _utc
from app.filters import number, site_url
from app.listings.search import search as find_buildings
from app.listings.services import BuildingCard
from app.models import SavedSearch

FEED_SIZE = 30


def newest(search: SavedSearch) -> tuple[list[BuildingCard], bool]:
    """The search's newest matching buildings, and whether its conditions still hold (a place
    it names may have been renamed since: then it has none rather than a wider search's)."""
    result = find_buildings({**search.params, "sort": "newest"}, per_page=FEED_SIZE, map_limit=0)
    if result.errors:
        return [], False
    return result.cards, True


def _content(card: BuildingCard) -> str:
    building = card.building
    places = [p.name for p in (building.district, building.town) if p is not None]
    if building.park is not None and building.park.place is not None:
        places.append(building.park.place.name)
    parts = [" · ".join(places), building.grade or ""]
    if card.units_available:
        parts.append(f"{card.units_available} 套房源")
    if card.min_area is not None:
        area = number(card.min_area, 0)
        if card.max_area is not None and card.max_area != card.min_area:
            area += f"–{number(card.max_area, 0)}"
        parts.append(f"面积 {area} ㎡")
    if card.min_rent is not None:
        rent = number(card.min_rent)
        if card.max_rent is not None and card.max_rent != card.min_rent:
            rent += f"–{number(card.max_rent)}"
        parts.append(f"租金 {rent} 元/㎡/天")
    return " · ".join(p for p in parts if p)


def _changed(building) -> datetime:
    moments = (building.created_at, building.updated_at, building.units_confirmed_at)
    return max(m for m in moments if m is not None)


def atom(search: SavedSearch, cards: list[BuildingCard], valid: bool) -> bytes:
    """An Atom 1.0 document of the cards; links are absolute."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})
    this = site_url("searches.feed", token=search.token)
    results = site_url("listings.search", **link_args(search.params))
    _sub(feed, "id", this)
    _sub(feed, "title", f"我的订阅：{search.name}")
    subtitle = summary(search.params)
    if not valid:
        subtitle += "（搜索条件中的地点已不存在，请在“我的订阅”中重新订阅）"
    _sub(feed, "subtitle", subtitle)
    # A building changes when it is edited and when a unit of it is confirmed.
    times = [_changed(c.building) for c in cards]
    _sub(feed, "updated", _utc(max(times, default=search.created_at)))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=this)
    _sub(feed, "link", rel="alternate", type="text/html", href=results)
    _sub(_sub(feed, "author"), "name", "绍兴诸暨写字楼网")
    for card, updated in zip(cards, times, strict=True):
        building = card.building
        url = site_url("listings.building", building_id=building.id)
        entry = _sub(feed, "entry")
        _sub(entry, "id", url)
        _sub(entry, "title", building.name)
        _sub(entry, "link", rel="alternate", type="text/html", href=url)
        _sub(entry, "published", _utc(building.created_at))
        _sub(entry, "updated", _utc(updated))
        _sub(entry, "summary", _content(card))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
