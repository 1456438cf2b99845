"""Template filters and globals: figures with their units, dates, labels."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol
from urllib.parse import quote

from flask import Flask, current_app, g, has_request_context, request, url_for

from app.config import EXPIRED_AFTER_DAYS, PARK_RADIUS_KM, STALE_AFTER_DAYS
from app.models.accounts import ROLE_LABELS
from app.models.listings import BUILDING_STATUS_LABELS, DEALS, UNIT_STATUS_LABELS
from app.models.places import PlaceKind


def number(value: float | None, digits: int = 2) -> str:
    """Format a figure without trailing zeros: 1.50 -> 1.5, 120.0 -> 120."""
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def cn_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def unit_label(unit) -> str:
    """A unit as tenants and agents name it: 出租 · 5F · 320 ㎡ · 1.2 元/㎡/天."""
    parts = [DEALS.get(unit.deal, unit.deal)]
    if unit.floor is not None:
        parts.append(f"{unit.floor}F")
    parts.append(f"{number(unit.area_m2, 0)} ㎡")
    if unit.deal == "rent" and unit.rent_per_m2_day is not None:
        parts.append(f"{number(unit.rent_per_m2_day)} 元/㎡/天")
    elif unit.deal == "sale" and unit.price_per_m2 is not None:
        parts.append(f"{number(unit.price_per_m2, 0)} 元/㎡")
    return " · ".join(parts)


def building_url(building_id: int) -> str:
    """The address of a building page; one url_for per request, not one per card."""
    if "building_url_prefix" not in g:
        g.building_url_prefix = memo_url_for("listings.building", building_id=0)[:-1]
    return f"{g.building_url_prefix}{building_id}"


class LinkedPlace(Protocol):
    """A Place, or the news linker's reference to one."""

    name: str
    kind: str
    park_slug: str | None


class PlaceReach(Protocol):
    """What a link to a place can open (app.news.destinations.Reach)."""

    own: bool
    in_region: bool
    radius_km: float | None


def place_url(place: LinkedPlace, reach: PlaceReach | None = None) -> str | None:
    """Where a place mentioned in the news links to: a park to its page; a town or district of
    the region with buildings to the listings filtered to it (a city of the region to all of
    them); any other place to the listings nearest to it, by distance, within `reach`'s radius;
    None (no link) when nothing is near. Without `reach` (an editor's preview), the listings
    filtered to a town or district of the region, or those nearest anything else."""
    if place.park_slug:
        return url_for("parks.park", slug=place.park_slug)
    if reach is None:
        ours = getattr(place, "in_region", True) is not False
        if ours and place.kind == PlaceKind.TOWN:
            return url_for("listings.search", town=place.name)
        if ours and place.kind == PlaceKind.DISTRICT:
            return url_for("listings.search", district=place.name)
        return url_for("listings.search", near=place.name, sort="distance")
    if reach.own and reach.in_region:
        if place.kind == PlaceKind.TOWN:
            return url_for("listings.search", town=place.name)
        if place.kind == PlaceKind.DISTRICT:
            return url_for("listings.search", district=place.name)
        if place.kind == PlaceKind.CITY:
            return url_for("listings.search")
    if reach.radius_km is None:
        return None
    radius = f"{reach.radius_km:g}"
    return url_for("listings.search", near=place.name, sort="distance", radius_km=radius)


URL_MEMO_MAX = 4096


def site_url(endpoint: str, _anchor: str | None = None, **values) -> str:
    """An absolute link to a page of the site, for an email, a feed or the sitemap: SITE_URL
    and the page's path, whatever Host the request that made it named (a forged Host would
    otherwise put its own server in a password reset link). Works outside a request too."""
    adapter = current_app.url_map.bind("site.invalid", script_name="/")
    path = adapter.build(endpoint, values)
    anchor = f"#{quote(_anchor)}" if _anchor else ""
    return f"{current_app.config['SITE_URL']}{path}{anchor}"


def memo_url_for(endpoint: str, **values) -> str:
    """`url_for` for templates, remembered per app and script root: the links every page has
    (the menu, the stylesheets and scripts) are built once per worker, not on every request.
    Anything unusual (an external URL, an anchor, a relative endpoint) is built each time."""
    if endpoint.startswith(".") or any(name.startswith("_") for name in values):
        return url_for(endpoint, **values)
    if not has_request_context():
        return url_for(endpoint, **values)
    key = (request.script_root, endpoint, *sorted(values.items()))
    try:
        memo = current_app.extensions.setdefault("url_memo", {})
        found = memo.get(key)
    except TypeError:  # an unhashable value (a list of ids)
        return url_for(endpoint, **values)
    if found is None:
        found = url_for(endpoint, **values)
        if len(memo) < URL_MEMO_MAX:
            memo[key] = found
    return found


def init_app(app: Flask) -> None:
    app.add_template_global(memo_url_for, "url_for")
    app.add_template_global(building_url)
    app.add_template_global(place_url)
    app.add_template_global(unit_label)
    app.add_template_global(site_url)
    app.add_template_filter(number, "num")
    app.add_template_filter(cn_date, "cn_date")
    app.add_template_global(DEALS, "DEALS")
    app.add_template_global(UNIT_STATUS_LABELS, "UNIT_STATUS_LABELS")
    app.add_template_global(BUILDING_STATUS_LABELS, "BUILDING_STATUS_LABELS")
    app.add_template_global(ROLE_LABELS, "ROLE_LABELS")
    # The product's rules, so a page says the same figure the code applies.
    app.add_template_global(STALE_AFTER_DAYS, "STALE_AFTER_DAYS")
    app.add_template_global(EXPIRED_AFTER_DAYS, "EXPIRED_AFTER_DAYS")
    app.add_template_global(PARK_RADIUS_KM, "PARK_RADIUS_KM")
