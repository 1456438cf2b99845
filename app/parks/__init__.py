"""Industrial parks, development zones and 特色小镇: a map, a list and a page per park."""

from flask import Flask

from app.parks.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
