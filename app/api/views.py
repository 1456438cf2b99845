"""JSON endpoints: the search results as GeoJSON for maps and other clients."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from app.geo.transform import wgs84_to_gcj02
from app.listings import search as engine
from app.listings.views import read_search

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/health")
def health():
    """Say the app is up."""
    return jsonify(status="ok")


@bp.get("/listings")
def listings():
    """Return the buildings matching the /listings/ parameters as a GeoJSON FeatureCollection.

    `features` holds every match (up to API_MAP_LIMIT) for maps; `results` the requested page
    with its figures. `crs=gcj02` returns points for Chinese tile layers.
    """
    form, params = read_search(request.args)
    crs = request.args.get("crs", "wgs84")
    result = engine.search(params, map_limit=engine.API_MAP_LIMIT)
    errors = {name: list(messages) for name, messages in form.errors.items()}
    if crs not in ("wgs84", "gcj02"):
        errors["crs"] = ["坐标系只能是 wgs84 或 gcj02。"]
    for name, message in result.errors.items():
        errors.setdefault(name, []).append(message)
    if errors:
        return jsonify(error="参数无效", errors=errors), 400
    base = url_for("listings.search")
    project = wgs84_to_gcj02 if crs == "gcj02" else _same
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": _lonlat(*project(lat, lon))},
            "properties": {"id": building_id, "name": name, "url": f"{base}{building_id}"},
        }
        for building_id, name, lat, lon in result.map_rows
    ]
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
    return jsonify(
        type="FeatureCollection",
        features=features,
        total=result.total,
        total_capped=result.capped,
        page=result.page,
        pages=result.pages,
        results=page,
    )


def _same(lat: float, lon: float) -> tuple[float, float]:
    return lat, lon


def _lonlat(lat: float, lon: float) -> list[float]:
    """GeoJSON order, rounded to about a metre."""
    return [round(lon, 5), round(lat, 5)]
