"""Views of the parks."""

from flask import Blueprint, abort, render_template

from app.parks import services

bp = Blueprint("parks", __name__, url_prefix="/parks")


@bp.get("/")
def index():
    """List every park."""
    return render_template("parks/index.html", parks=services.all_parks())


@bp.get("/<slug>")
def park(slug: str):
    """Show one park."""
    found = services.get_park(slug)
    if found is None:
        abort(404)
    return render_template("parks/park.html", park=found)
