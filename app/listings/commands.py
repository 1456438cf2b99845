"""Command `flask --app wsgi search reindex`: rebuild the listing search index."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db
from app.listings import fulltext

search_cli = AppGroup("search", help="楼盘搜索索引 (the listing search index).")


@search_cli.command("reindex")
def reindex() -> None:
    """Rebuild the full-text index of every building."""
    fulltext.clear(db.session)
    fulltext.reindex_all(db.session)
    db.session.commit()
    click.echo("搜索索引已重建。")
