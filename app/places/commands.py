"""Command `flask --app wsgi places load`: the reference gazetteer for a production database."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db
from app.places import gazetteer

places_cli = AppGroup("places", help="地名库 (gazetteer).")


@places_cli.command("load")
def places_load() -> None:
    """Load or update 绍兴's divisions, their neighbours and county boundaries (idempotent)."""
    loaded = gazetteer.load()
    if loaded.touched:
        articles, buildings = gazetteer.refresh_dependents()
        note = f"；重新关联文章 {articles} 篇，重新定位楼盘 {buildings} 栋"
    else:
        note = "；地名库无变化"
    db.session.commit()
    click.echo(f"地名库已加载：新增 {loaded.added}，更新 {loaded.changed}{note}")
    click.echo("按级别：" + gazetteer.describe_counts(gazetteer.counts_by_level()))
