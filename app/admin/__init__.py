"""Moderation: editors and admins publish, hide and feature buildings; admins manage users."""

from flask import Flask

from app.admin.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
