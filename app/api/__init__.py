"""The JSON API (GeoJSON for map data)."""

from flask import Flask

from app.api.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
