"""Application factory for the office-space portal."""

from __future__ import annotations

import os

from flask import Blueprint, Flask
from werkzeug.middleware.proxy_fix import ProxyFix

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
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        # The client's address and scheme as the proxies saw them; the Host stays the request's
        # own (links are built from SITE_URL, never from a header).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = settings.database_url(app.config, app.instance_path)
    app.config.setdefault("UPLOAD_FOLDER", None)
    if not app.config["UPLOAD_FOLDER"]:
        app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "uploads")

    register_extensions(app)
    register_effects()
    register_blueprints(app)
    register_asset_routes(app)
    register_hooks(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    from app import db_setup, pagecache, redis_clients
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
    redis_clients.init_app(app)  # before the cache and the limiter make their clients
    limiter.init_app(app)
    bootstrap.init_app(app)
    compress.init_app(app)
    cache.init_app(app)
    pagecache.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "请先登录。"
    login_manager.login_message_category = "warning"
    db_setup.init_app(app)


def register_effects() -> None:
    """The commit-time effects, in their order (app.effects): before any blueprint, so that
    none of them depends on what a blueprint happens to import."""
    from app import effects

    effects.register()


def blueprints() -> list[Blueprint]:
    """Every blueprint of the site, in the order the factory registers them."""
    from app.accounts.blueprint import bp as accounts
    from app.admin.views import bp as admin
    from app.agent.blueprint import bp as agent
    from app.alerts.views import bp as searches
    from app.api.views import bp as api
    from app.listings.views import bp as listings
    from app.main.agent_views import bp as agents
    from app.main.views import bp as main
    from app.market.views import bp as market
    from app.news.feed_views import bp as news_feeds
    from app.news.views import bp as news
    from app.parks.views import bp as parks
    from app.requirements.blueprint import bp as requirements

    return [
        main,
        listings,
        parks,
        market,
        news,
        news_feeds,
        accounts,
        agent,
        agents,
        admin,
        api,
        requirements,
        searches,
    ]


def register_blueprints(app: Flask) -> None:
    from app.routing import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any rule is made with it
    for blueprint in blueprints():
        app.register_blueprint(blueprint)


def register_asset_routes(app: Flask) -> None:
    """Files rather than pages: the front-end libraries and the agents' stored photos."""
    from app import assets
    from app.agent.photo_views import MEDIA_ENDPOINT, MEDIA_RULE, media

    app.register_blueprint(assets.bp)
    app.add_url_rule(MEDIA_RULE, endpoint=MEDIA_ENDPOINT, view_func=media)


def register_hooks(app: Flask) -> None:
    """What runs around every request, after the extensions' own hooks (CSRF, rate limits,
    compression): NUL characters refused, security headers on every response, the error pages,
    and who is signed in. docs/architecture.md follows a request through them."""
    from app import errors, security
    from app.accounts.decorators import load_user
    from app.extensions import login_manager

    security.init_app(app)
    errors.init_app(app)
    login_manager.user_loader(load_user)


def register_commands(app: Flask) -> None:
    from app import commands

    commands.init_app(app)


def register_template_helpers(app: Flask) -> None:
    from app import filters

    filters.init_app(app)
