"""Command `flask --app wsgi demo load`: the reference gazetteer, then the demo's parks, listings
and news."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.demo import loader
from app.places import gazetteer

demo_cli = AppGroup("demo", help="演示数据 (demo data).")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only load when the database has no buildings.")
def demo_load(if_empty: bool) -> None:
    """Load the demo gazetteer, parks, buildings, units and news (idempotent)."""
    if if_empty and not loader.is_empty():
        click.echo("数据库已有楼盘，跳过演示数据。")
        return
    c = loader.load()
    click.echo(
        f"演示数据已加载：地点 {c.places}，园区 {c.parks}，楼盘 {c.buildings}，"
        f"房源 {c.units}，文章 {c.articles}"
    )
    click.echo("地名库按级别：" + gazetteer.describe_counts(gazetteer.counts_by_level()))
