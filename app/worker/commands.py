"""`flask worker` works the job queue; `flask mail retry` enqueues the emails whose job was lost."""

from __future__ import annotations

import logging
from datetime import timedelta

import click
from flask import current_app

from app import jobs, mail
from app.config import describe_mail
from app.extensions import db

# A claim this old is a dead worker's: a send gives up after MAIL_TIMEOUT (30 s).
STUCK_MINUTES = 10


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run the jobs RQ holds (emails, ...) until stopped; needs REDIS_URL."""
    app = current_app._get_current_object()
    if not app.config.get("REDIS_URL"):
        raise click.ClickException(
            "未设置 REDIS_URL：没有 Redis 时任务在本进程中运行，无需 worker (REDIS_URL is not set)"
        )
    # The app's own lines (an email sent, a send failed) beside RQ's, in RQ's format.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s", "%H:%M:%S"))
    logger = logging.getLogger("app")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    click.echo(f"worker: queue {app.config['JOB_QUEUE']}, email {describe_mail(app.config)}")
    # The emails that wait for a job (stored while Redis was down, or whose job was lost) go
    # out now rather than at the next `mail retry`; a row whose job is still queued as well is
    # claimed by one of the two and sent once.
    waiting = mail.requeue(stuck_after=timedelta(minutes=STUCK_MINUTES), queued_after=timedelta(0))
    db.session.commit()  # the after-commit listener enqueues them
    if waiting:
        click.echo(f"worker: {waiting} 封等待中的邮件已排队 ({waiting} waiting emails enqueued)")
    jobs.worker(app.config).work(burst=burst, logging_level="INFO", with_scheduler=True)


@click.group("mail")
def mail_cli() -> None:
    """Outbound emails."""


@mail_cli.command("retry")
@click.option(
    "--older-than",
    default=STUCK_MINUTES,
    show_default=True,
    help="Minutes a row waits (queued) or is claimed (sending) before its job counts as lost.",
)
def retry_command(older_than: int) -> None:
    """Enqueue again the emails whose job was lost (a cron job runs this every few minutes)."""
    wait = timedelta(minutes=older_than)
    count = mail.requeue(stuck_after=wait, queued_after=wait)
    db.session.commit()  # the after-commit listener enqueues them
    click.echo(f"{count} 封邮件重新排队 ({count} emails enqueued again)")
