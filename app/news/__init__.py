"""The news center: categories, articles and the places they mention."""

from flask import Flask

from app.news.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
