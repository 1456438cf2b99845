"""The news center: categories, articles and the places they mention."""

from flask import Flask

from app.news.commands import news_cli
from app.news.feed_views import bp as feeds_bp
from app.news.linker import place_url
from app.news.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(feeds_bp)
    app.cli.add_command(news_cli)
    app.add_template_global(place_url)
