"""Application factory for the office-space portal."""

from __future__ import annotations

import os

from flask import Flask

from app import config as settings
from app.config import ROOT


def create_app(config: str | type | dict | None = None) -> Flask:
    """Create and configure the app; `config` is a name, a class or a dict of overrides."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=os.environ.get("INSTANCE_PATH", str(ROOT / "instance")),
    )
    config_class, overrides = settings.resolve(config)
    app.config.from_object(config_class)
    app.config.update(overrides)
    settings.check(app.config, production=config_class is settings.ProductionConfig)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = settings.database_url(app.config, app.instance_path)
    app.config.setdefault("UPLOAD_FOLDER", None)
    if not app.config["UPLOAD_FOLDER"]:
        app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "uploads")

    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    from app import db_setup, pagecache
    from app.extensions import (
        bootstrap,
        cache,
        compress,
        csrf,
        db,
        limiter,
        login_manager,
        migrate,
    )

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    bootstrap.init_app(app)
    compress.init_app(app)
    cache.init_app(app)
    pagecache.init_app(app)
    login_manager.init_app(app)
    db_setup.init_app(app)


def register_blueprints(app: Flask) -> None:
    from app import accounts, agent, api, assets, errors, listings, main, news, parks, security

    for module in (main, listings, parks, news, accounts, agent, api, assets, errors, security):
        module.init_app(app)


def register_commands(app: Flask) -> None:
    from app import commands

    commands.init_app(app)


def register_template_helpers(app: Flask) -> None:
    from app import filters

    filters.init_app(app)
