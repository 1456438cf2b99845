"""Tenant-facing listings: search, building pages, inquiries, favourites and comparison."""

from flask import Flask

from app.listings.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
