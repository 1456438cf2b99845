"""The home page: 推荐楼盘, the newest news and the parks."""

from flask import Flask

from app.main.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
