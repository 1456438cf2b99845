"""JSON endpoints: the search results as GeoJSON for maps and other clients."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from app.listings import services
from app.listings.views import read_search

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/health")
def health():
    """Say the app is up."""
    return jsonify(status="ok")


@bp.get("/listings")
def listings():
    """Return the buildings matching the /listings/ parameters as a GeoJSON FeatureCollection."""
    form, params = read_search(request.args)
    result = services.search(params)
    errors = {name: list(messages) for name, messages in form.errors.items()}
    for name, message in result.errors.items():
        errors.setdefault(name, []).append(message)
    if errors:
        return jsonify(error="参数无效", errors=errors), 400
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": {
                "id": building_id,
                "name": name,
                "url": url_for("listings.building", building_id=building_id),
                "min_rent": min_rent,
            },
        }
        for building_id, name, lat, lon, min_rent in result.map_rows
    ]
    page = [
        {
            "id": c.building.id,
            "name": c.building.name,
            "town": c.building.town.name if c.building.town else None,
            "grade": c.building.grade,
            "min_rent": c.min_rent,
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
        page=result.page,
        pages=result.pages,
        results=page,
    )
