"""Tenant-facing listings: search, building pages, inquiries, favourites and comparison."""

import click
from flask import Flask
from flask.cli import AppGroup

from app.listings.views import bp

search_cli = AppGroup("search", help="楼盘搜索索引 (the listing search index).")


@search_cli.command("reindex")
def reindex() -> None:
    """Rebuild the full-text index of every building."""
    from app.extensions import db
    from app.listings import fulltext

    fulltext.clear(db.session)
    fulltext.reindex_all(db.session)
    db.session.commit()
    click.echo("搜索索引已重建。")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(search_cli)
