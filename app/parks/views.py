"""Views of the parks: all of them on a map and in a list, and a page per park."""

from flask import Blueprint, abort, render_template

from app.market import charts, figures
from app.parks import services

bp = Blueprint("parks", __name__, url_prefix="/parks")


@bp.get("/")
def index():
    """Show every park on one map and in a list."""
    parks = services.parks_with_counts()
    return render_template(
        "parks/index.html",
        parks=parks,
        groups=services.parks_by_district(parks),
        map=services.parks_map([p for p, _n in parks]),
    )


@bp.get("/<slug>")
def park(slug: str):
    """Show a park: description, map, its market figures and charts, the buildings in and near
    it, the news about it."""
    found = services.get_park(slug)
    if found is None:
        abort(404)
    nearby = services.park_buildings(found)
    return render_template(
        "parks/park.html",
        park=found,
        nearby=nearby,
        map=services.park_map(found, nearby),
        articles=services.park_articles(found),
        figures=figures.for_place(found.place_id),
        charts=charts.for_place(found.place_id, found.place.name, found.place.slug),
    )
