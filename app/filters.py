"""Template filters and globals: figures with their units, dates, labels."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, g, url_for

from app.models.accounts import ROLE_LABELS
from app.models.listings import BUILDING_STATUS_LABELS, DEALS, UNIT_STATUS_LABELS


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


def building_url(building_id: int) -> str:
    """The address of a building page; one url_for per request, not one per card."""
    if "building_url_prefix" not in g:
        g.building_url_prefix = url_for("listings.building", building_id=0)[:-1]
    return f"{g.building_url_prefix}{building_id}"


def init_app(app: Flask) -> None:
    app.add_template_global(building_url)
    app.add_template_filter(number, "num")
    app.add_template_filter(cn_date, "cn_date")
    app.add_template_global(DEALS, "DEALS")
    app.add_template_global(UNIT_STATUS_LABELS, "UNIT_STATUS_LABELS")
    app.add_template_global(BUILDING_STATUS_LABELS, "BUILDING_STATUS_LABELS")
    app.add_template_global(ROLE_LABELS, "ROLE_LABELS")
