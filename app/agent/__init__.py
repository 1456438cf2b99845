"""The agents' area: their buildings, units and inquiries."""

from flask import Flask

from app.agent.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
