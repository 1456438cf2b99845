"""Every command of `flask --app wsgi`, registered in one place; each lives in its own area.

Flask and its extensions add their own (run, shell, routes; db from Flask-Migrate; limiter).
"""

from __future__ import annotations

import click
from flask import Flask

from app.agent.commands import listings_cli
from app.alerts.commands import alerts_cli
from app.backup import backup_command, restore_command
from app.demo.commands import demo_cli
from app.listings.commands import search_cli
from app.market.commands import market_cli
from app.news.commands import market_report, news_cli
from app.places.commands import places_cli
from app.worker.commands import mail_cli, worker_command

COMMANDS: tuple[click.Command, ...] = (
    demo_cli,  # demo load
    listings_cli,  # listings import
    news_cli,  # news import, news relink
    places_cli,  # places load
    search_cli,  # search reindex
    market_cli,  # market refresh, market rebuild, market report
    mail_cli,  # mail retry
    alerts_cli,  # alerts send
    worker_command,  # worker (RQ, with REDIS_URL)
    backup_command,  # backup PATH (SQLite)
    restore_command,  # restore PATH (SQLite)
)


def init_app(app: Flask) -> None:
    # The report writes an article: it lives with the news center, which reads the market's
    # figures (the market's own modules never import the news center).
    market_cli.add_command(market_report)
    for command in COMMANDS:
        app.cli.add_command(command)
