"""JSON endpoints: the search results as GeoJSON for maps and other clients, suggestions as
a visitor types, and the market's figures per place."""

from __future__ import annotations

import json
from json.encoder import encode_basestring

from flask import Blueprint, current_app, jsonify, request, url_for

from app import pagecache
from app.api.openapi import description
from app.geo.transform import wgs84_to_gcj02
from app.listings import suggest as suggestions
from app.listings.search import API_MAP_LIMIT
from app.listings.search import search as find_buildings
from app.listings.views import read_search
from app.market import figures as market_figures
from app.market import services as market_services
from app.models import PlaceKind, stamps
from app.models.base import utcnow

bp = Blueprint("api", __name__, url_prefix="/api")
SUGGEST_MAX_CHARS = 50  # a longer `q` is refused, not cut
SUGGEST_MAX_AGE = 300  # seconds a browser may keep suggestions


@bp.get("/health")
def health():
    """Say the app is up."""
    return jsonify(status="ok")


@bp.get("/openapi.json")
def openapi():
    """Describe this API (OpenAPI 3.0)."""
    return jsonify(description())


@bp.get("/listings")
def listings():
    """Return the buildings matching the /listings/ parameters as a GeoJSON FeatureCollection.

    `features` holds every match (up to API_MAP_LIMIT) for maps; `results` the requested page
    with its figures. `crs=gcj02` returns points for Chinese tile layers.
    """
    form, params = read_search(request.args)
    crs = request.args.get("crs", "wgs84")
    result = find_buildings(params, map_limit=API_MAP_LIMIT)
    errors = {name: list(messages) for name, messages in form.errors.items()}
    if crs not in ("wgs84", "gcj02"):
        errors["crs"] = ["坐标系只能是 wgs84 或 gcj02。"]
    for name, message in result.errors.items():
        errors.setdefault(name, []).append(message)
    if errors:
        return jsonify(error="参数无效", errors=errors), 400
    page = [
        {
            "id": c.building.id,
            "name": c.building.name,
            "town": c.building.town.name if c.building.town else None,
            "grade": c.building.grade,
            "min_rent": c.min_rent,
            "max_rent": c.max_rent,
            "area_min": c.min_area,
            "area_max": c.max_area,
            "units": c.units_available,
            "distance_km": round(c.distance_km, 3) if c.distance_km is not None else None,
        }
        for c in result.cards
    ]
    rest = json.dumps(
        {
            "total": result.total,
            "total_capped": result.capped,
            "page": result.page,
            "pages": result.pages,
            "results": page,
        },
        ensure_ascii=False,
    )
    base = url_for("listings.search")
    features = ",".join(_feature(row, base, crs == "gcj02") for row in result.map_rows)
    body = f'{{"type":"FeatureCollection","features":[{features}],{rest[1:]}'
    return current_app.response_class(body, mimetype="application/json")


def _feature(row: tuple, base: str, gcj02: bool) -> str:
    """One GeoJSON point, written directly: a search may return API_MAP_LIMIT of them."""
    building_id, name, lat, lon = row
    if gcj02:
        lat, lon = wgs84_to_gcj02(lat, lon)
    return (
        f'{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{lon:.5f},{lat:.5f}]}},'
        f'"properties":{{"id":{building_id},"name":{encode_basestring(name)},'
        f'"url":"{base}{building_id}"}}}}'
    )


@bp.get("/suggest")
def suggest():
    """Return the districts, towns, parks and buildings that what was typed begins, by
    characters, full pinyin or initials, best first."""
    typed = request.args.get("q", "")
    if len(typed) > SUGGEST_MAX_CHARS:
        return jsonify(error="参数无效", errors={"q": [f"最多 {SUGGEST_MAX_CHARS} 个字。"]}), 400
    found = [
        {
            "kind": s.kind,
            "kind_name": s.kind_name,
            "name": s.name,
            "within": s.within,
            "url": _suggestion_url(s),
        }
        for s in suggestions.suggest(typed)
    ]
    response = jsonify(q=typed, suggestions=found)
    response.cache_control.public = True
    response.cache_control.max_age = SUGGEST_MAX_AGE
    return response


def _suggestion_url(s: suggestions.Suggestion) -> str:
    if s.kind == "building":
        return url_for("listings.building", building_id=s.building_id)
    if s.kind == PlaceKind.PARK:
        return url_for("parks.park", slug=s.slug)
    if s.kind == PlaceKind.TOWN:
        return url_for("listings.search", town=s.name)
    if s.kind == PlaceKind.DISTRICT:
        return url_for("listings.search", district=s.name)
    return url_for("listings.search")


@bp.get("/market")
def market():
    """Return every place's market figures (the city, districts, towns, parks); with `place`
    (a slug among them), that place's median rent month by month too. Kept rendered under the
    listings stamp and the day, as the market's pages are."""
    slug = request.args.get("place")
    question = (slug, utcnow().date())
    body, status = pagecache.fragment(
        "market-api", (stamps.LISTINGS,), question, lambda: _market_body(slug)
    )
    return current_app.response_class(body, status=status, mimetype="application/json")


def _market_body(slug: str | None) -> tuple[str, int]:
    rows = market_services.export_rows()
    chosen = None
    if slug is not None:
        chosen = next((place for place, _f in rows if place.slug == slug), None)
        if chosen is None:
            errors = {"place": ["没有这个地点：请使用 places 中的 slug。"]}
            return json.dumps({"error": "参数无效", "errors": errors}, ensure_ascii=False), 400
    body: dict = {
        "places": [
            {
                "slug": place.slug,
                "name": place.name,
                "kind": place.kind,
                "parent": place.parent.slug if place.parent else None,
                "figures": {name: getattr(found, name) for name in market_figures.FIELDS},
            }
            for place, found in rows
        ]
    }
    if chosen is not None:
        body["place"] = {
            "slug": chosen.slug,
            "name": chosen.name,
            "trend": [
                {
                    "month": f"{p.month:%Y-%m}",
                    "rent_median": p.rent_median,
                    "rental_units": p.rental_units,
                }
                for p in market_figures.trend(chosen.id)
            ],
        }
    return json.dumps(body, ensure_ascii=False), 200
