"""Commands `flask --app wsgi market …`: the rollups recomputed (refresh, rebuild), and the job
that recomputes the places a building left or joined."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.market import rebuild
from app.models.market import MarketFigures

market_cli = AppGroup("market", help="行情数据 (market figures).")


def refresh() -> None:
    """Recompute what the days change and close the past months, and commit. Also the RQ job of
    `rq cron app/market/rq_cron.py`."""
    rebuild.refresh(db.session)
    db.session.commit()


@market_cli.command("refresh")
def market_refresh() -> None:
    """Recompute what the days change (new and let in 30 days, days on the market) and close
    the past months into their rows; run daily (docs/operations.md)."""
    started = time.monotonic()
    refresh()
    click.echo(f"行情已刷新（{time.monotonic() - started:.1f} 秒）。")


@market_cli.command("rebuild")
@click.option(
    "--if-empty", is_flag=True, help="只在还没有行情数据时重建（make run 在升级后调用）。"
)
def market_rebuild(if_empty: bool) -> None:
    """Recompute every rollup from the units and their history (after migration 0021, or to
    repair)."""
    if if_empty and db.session.scalar(select(MarketFigures.place_id).limit(1)) is not None:
        click.echo("已有行情数据，未重建。")
        return
    started = time.monotonic()
    rebuild.rebuild(db.session)
    db.session.commit()
    click.echo(f"行情已重建（{time.monotonic() - started:.1f} 秒）。")


def recompute_places(place_ids: list[int]) -> None:
    """The job after a building moved or was deleted: its history moves with it (the figures
    read a unit's events by its building's places now), so the places it left and joined have
    their windowed figures and months recomputed. It commits its own work."""
    rebuild.recompute(db.session, place_ids, current=False)
    db.session.commit()
