"""Front-end libraries served by the app itself from their XStatic packages (no CDN)."""

from __future__ import annotations

import xstatic.pkg.jquery as xs_jquery
import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_markercluster
from flask import Blueprint, Flask, abort, send_from_directory

PACKAGES = {
    "leaflet": xs_leaflet.BASE_DIR,
    "leaflet-markercluster": xs_markercluster.BASE_DIR,
    "jquery": xs_jquery.BASE_DIR,
}

bp = Blueprint("assets", __name__, url_prefix="/vendor")


@bp.get("/<package>/<path:filename>")
def vendor(package: str, filename: str):
    """Serve one file of a packaged front-end library."""
    base = PACKAGES.get(package)
    if base is None:
        abort(404)
    return send_from_directory(base, filename, max_age=7 * 24 * 3600)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
