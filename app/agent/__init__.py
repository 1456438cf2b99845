"""The agents' area: their buildings, units, photos, inquiries and reports; bulk import."""

from flask import Flask

from app.agent import (  # noqa: F401  (routes on the blueprint)
    building_views,
    csv_import_views,
    photo_views,
    unit_views,
)
from app.agent.cli import listings_cli
from app.agent.photo_views import MEDIA_ENDPOINT, MEDIA_RULE, media
from app.agent.views import bp


def init_app(app: Flask) -> None:
    from app import admin

    app.register_blueprint(bp)
    app.add_url_rule(MEDIA_RULE, endpoint=MEDIA_ENDPOINT, view_func=media)
    app.cli.add_command(listings_cli)
    admin.init_app(app)
