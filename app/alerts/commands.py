"""`flask alerts send` and the two jobs of saved searches, each the owner of its unit of work:
matching a committed change (enqueued by app.alerts.changes) and sending the digests that are
due (the command's work, also enqueued by RQ's cron scheduler: docs/operations.md)."""

from __future__ import annotations

import logging
from datetime import datetime

import click

from app.alerts import emails, matching
from app.extensions import db
from app.models.alerts import AlertFrequency
from app.models.base import utcnow

log = logging.getLogger(__name__)


def match_changes(payload: dict) -> None:
    """The job: record what a committed transaction's units report to saved searches, and
    email the instant searches among them, in one transaction of its own (a job has no caller
    to commit for it). Run twice, it records and sends nothing new: hits are unique and an
    email takes only the hits no email took."""
    now = utcnow()
    touched: set[int] = set()
    for change in matching.changes_of(db.session, payload):
        touched |= matching.record(db.session, matching.hits_for(db.session, change, now))
    sent = emails.send_instant(db.session, touched, now)
    db.session.commit()
    if touched:
        log.info("alerts: %s searches got hits, %s instant emails", len(touched), sent)


DIGESTS = (AlertFrequency.DAILY, AlertFrequency.WEEKLY)


def send_due_digests(now: datetime | None = None, frequencies=DIGESTS) -> dict[str, int]:
    """Send every digest that is due, committing after each batch of searches (a run stopped
    half way keeps what it sent, and the rest are still due); returns the count per frequency.
    Also the RQ job of `rq cron app/alerts/rq_cron.py`."""
    now = now or utcnow()
    sent: dict[str, int] = {}
    for frequency in frequencies:
        due = emails.due(db.session, frequency, now)
        sent[str(frequency)] = 0
        for start in range(0, len(due), emails.BATCH):
            chunk = due[start : start + emails.BATCH]
            sent[str(frequency)] += emails.send_digests(db.session, chunk, now)
            db.session.commit()
    log.info("alerts: digests sent %s", sent)
    return sent


@click.group("alerts")
def alerts_cli() -> None:
    """Saved searches' email alerts."""


@alerts_cli.command("send")
def send_command() -> None:
    """Send the daily and weekly digests that are due (cron runs this, e.g. each morning)."""
    sent = send_due_digests()
    click.echo(
        f"每日汇总 {sent['daily']} 封，每周汇总 {sent['weekly']} 封 "
        f"({sent['daily']} daily, {sent['weekly']} weekly digests)"
    )
