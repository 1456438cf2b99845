"""Views of the listing search and the building pages."""

from flask import Blueprint, abort, render_template

from app.listings import services

bp = Blueprint("listings", __name__, url_prefix="/listings")


@bp.get("/")
def search():
    """List published buildings."""
    return render_template("listings/search.html", results=services.recommended_buildings(50))


@bp.get("/<int:building_id>")
def building(building_id: int):
    """Show one building with its units."""
    found = services.get_public_building(building_id)
    if found is None:
        abort(404)
    return render_template("listings/building.html", building=found)
