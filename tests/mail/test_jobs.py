"""Delivery jobs: on RQ over the local Redis, retried after a failed send, sent once however
often they run, and enqueued again by `flask mail retry` when lost."""

from __future__ import annotations

import logging
import smtplib
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.mail import deliver, send_email
from app.models import OutboundEmail
from app.models.base import utcnow


def _send(key: str = "notice:1") -> bool:
    return send_email(
        "li@example.com", "notice", key=key, subject="新留言", name="李四", line="有人咨询。"
    )


def _row(key: str = "notice:1") -> OutboundEmail:
    db.session.expire_all()
    return db.session.scalars(select(OutboundEmail).where(OutboundEmail.key == key)).one()


def test_on_rq_the_email_is_stored_first_and_sent_by_the_worker(app, mailbox, notice, rq_worker):
    _send()
    db.session.commit()
    assert _row().status == "queued"  # committed; the job waits in Redis for a worker
    time.sleep(0.2)
    assert mailbox.messages == []
    rq_worker()
    (msg,) = mailbox.wait_for(1)
    assert msg["Subject"] == "新留言"
    assert (_row().status, _row().attempts) == ("sent", 1)


def test_on_rq_a_refused_send_is_retried_and_succeeds(app, mailbox, notice, rq_worker):
    mailbox.refuse(1)
    _send()
    db.session.commit()
    rq_worker()  # the first try gets a 550; the retry (no wait in tests) goes through
    (msg,) = mailbox.wait_for(1)
    row = _row()
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)


def test_a_refused_send_waits_for_mail_retry(app, runner, mailbox, notice):
    mailbox.refuse(1)
    _send()
    db.session.commit()
    row = _row()
    assert (row.status, row.attempts) == ("queued", 1)
    assert "550" in row.last_error
    result = runner.invoke(args=["mail", "retry", "--older-than", "0"])
    assert result.exit_code == 0, result.output
    assert "1 封邮件重新排队" in result.output
    mailbox.wait_for(1)
    assert (_row().status, _row().attempts) == ("sent", 2)


def test_a_closed_port_is_recorded_as_the_error(app, notice):
    app.config["MAIL_URL"] = "smtp://127.0.0.1:1"
    _send()
    db.session.commit()
    row = _row()
    assert row.status == "queued" and "ConnectionRefusedError" in row.last_error


def test_after_too_many_attempts_a_row_is_left_failed(app, mailbox, notice):
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    mailbox.refuse(5)
    _send()
    db.session.commit()
    with pytest.raises(smtplib.SMTPDataError):
        deliver(_row().id)  # mail retry's second go; raised for RQ to retry
    assert (_row().status, _row().attempts) == ("failed", 2)


def test_a_job_run_again_sends_nothing_again(app, mailbox, notice):
    _send()
    db.session.commit()
    mailbox.wait_for(1)
    deliver(_row().id)  # a worker that died after sending, its job run again by RQ
    time.sleep(0.2)
    assert len(mailbox.messages) == 1 and _row().attempts == 1


def test_mail_retry_sends_a_row_left_sending_once_its_claim_is_old(app, runner, mailbox, notice):
    for key, minutes in (("notice:old", 30), ("notice:new", 2)):
        db.session.add(
            OutboundEmail(
                key=key,
                to="li@example.com",
                subject=key,
                kind="notice",
                body_text="…",
                body_html="<p>…</p>",
                headers={},
                status="sending",
                attempts=1,
                claimed_at=utcnow() - timedelta(minutes=minutes),
            )
        )
    db.session.commit()
    result = runner.invoke(args=["mail", "retry"])
    assert result.exit_code == 0, result.output
    (msg,) = mailbox.wait_for(1)
    assert msg["Subject"] == "notice:old"
    assert _row("notice:old").status == "sent"
    assert _row("notice:new").status == "sending"  # its worker may still be at it


def test_without_redis_reachable_the_commit_stands_and_the_row_waits(app, notice, caplog):
    # The outage is Redis's breaker's warning (tests/faults); the row's own line is an info.
    caplog.set_level(logging.INFO, logger="app.mail")
    app.config.update(REDIS_URL="redis://127.0.0.1:1/0")
    _send()
    db.session.commit()
    assert _row().status == "queued"
    assert "could not enqueue email" in caplog.text


def test_the_worker_command_needs_redis(app, runner):
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL" in result.output


def test_the_worker_command_works_the_queue(app, runner, mailbox, notice, rq_worker):
    _send()
    db.session.commit()
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    mailbox.wait_for(1)
    assert _row().status == "sent"
