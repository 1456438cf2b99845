"""Outgoing email: stored in the caller's transaction, delivered by a job after it commits.

`send_email` renders templates/email/<kind>.txt and .html and writes an OutboundEmail row; an
after-commit listener (app.effects) enqueues one `deliver` job per row the transaction stored.
`deliver` claims its row (queued → sending) before talking to the server and marks it sent after,
so a job run twice, or a row's job enqueued again by `flask mail retry`, sends it once.
"""

from __future__ import annotations

import functools
import logging
import smtplib
import ssl
from datetime import UTC, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import jobs
from app.extensions import db
from app.models import OutboundEmail
from app.models.base import utcnow
from app.testing_hooks import pause_point

log = logging.getLogger(__name__)

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
_PENDING = "outbound_email_pending"  # session.info: ids stored by the open transaction


def send_email(
    to: str,
    kind: str,
    *,
    key: str,
    subject: str,
    unsubscribe_url: str | None = None,
    **context,
) -> bool:
    """Store an email to `to` from the templates of `kind`, to be sent once the caller commits.

    `key` names what the email is about (e.g. "inquiry:12"): a key already stored sends nothing
    again and returns False. The caller commits.
    """
    if db.session.scalar(select(OutboundEmail.id).where(OutboundEmail.key == key)) is not None:
        return False
    headers = {"Message-ID": make_msgid(domain=_domain(current_app.config["MAIL_FROM"]))}
    if unsubscribe_url:
        # RFC 8058: a one-click POST to the URL unsubscribes, with no page to confirm on.
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # A subject may carry what users typed (a building's name): one line, or the message
    # could not be built (a header holds no line break), and no longer than its column.
    subject = " ".join(subject.split())[:200]
    context.update(subject=subject, unsubscribe_url=unsubscribe_url)
    email = OutboundEmail(
        key=key,
        to=to,
        subject=subject,
        kind=kind,
        body_text=render_template(f"email/{kind}.txt", **context),
        body_html=render_template(f"email/{kind}.html", **context),
        headers=headers,
        status=QUEUED,
        attempts=0,
    )
    try:
        # A concurrent transaction may store the same key first: its row wins, this one is not
        # sent, and the caller's own transaction goes on.
        with db.session.begin_nested():
            db.session.add(email)
    except IntegrityError:
        return False
    db.session.info.setdefault(_PENDING, []).append(email.id)
    return True


def deliver_after_commit(session: Session) -> None:
    """After-commit listener: a job for each email the transaction stored, once the outermost
    transaction commits (the event fires for each SAVEPOINT released too)."""
    if session.in_nested_transaction():
        return
    pending = session.info.pop(_PENDING, None)
    for email_id in pending or ():
        # Redis down: the row stays queued (never sent from a web process, where a slow mail
        # server would hold a thread per email); the worker's start or `flask mail retry`
        # enqueues it again. Redis's breaker has logged the outage: this line is for the row.
        if not jobs.enqueue(deliver, email_id, wait=True):
            log.info("could not enqueue email %s: it waits, queued, for the worker", email_id)


def forget_after_rollback(session: Session, previous_transaction) -> None:
    """After-soft-rollback listener: a rolled-back transaction stored no email (a savepoint's
    rollback leaves the outer transaction's emails pending)."""
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)


def deliver(email_id: int) -> None:
    """The job: claim the row, send it, mark it sent. A row already sent, being sent or gone
    is left alone; a failed send is recorded and raised, for RQ to retry with backoff.

    A job owns its units of work, as a view does: it commits the claim before talking to the
    server (so a second job finds the row taken), then the outcome. A claim older than
    JOB_TIMEOUT is a dead worker's (RQ stops a job that runs longer), and is taken over: RQ
    runs a killed worker's job again once its heartbeat lapses, and that run sends the email."""
    now = utcnow()
    abandoned = now - timedelta(seconds=current_app.config["JOB_TIMEOUT"])
    claimable = or_(
        OutboundEmail.status == QUEUED,
        and_(OutboundEmail.status == SENDING, OutboundEmail.claimed_at < abandoned),
    )
    claim = (
        update(OutboundEmail)
        .where(OutboundEmail.id == email_id, claimable)
        .values(status=SENDING, claimed_at=now, attempts=OutboundEmail.attempts + 1)
    )
    claimed = db.session.execute(claim).rowcount
    db.session.commit()
    if not claimed:
        return
    pause_point("mail.deliver")  # fault tests only: a no-op unless XZL_CRASH_PAUSE_AT
    email = db.session.get(OutboundEmail, email_id)
    try:
        transport(current_app.config, email)
    except Exception as exc:
        email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        email.status = (
            FAILED if email.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"] else QUEUED
        )
        db.session.commit()
        log.warning(
            "email %s (%s) attempt %s failed: %s",
            email.id,
            email.kind,
            email.attempts,
            email.last_error,
        )
        raise
    email.status, email.sent_at, email.last_error = SENT, utcnow(), None
    db.session.commit()
    log.info("email %s (%s) sent", email.id, email.kind)


def message(config, email: OutboundEmail) -> EmailMessage:
    """The MIME message of a stored email: text and HTML alternatives, UTF-8 throughout."""
    msg = EmailMessage()
    msg["Subject"] = email.subject
    msg["From"] = config["MAIL_FROM"]
    msg["To"] = email.to
    msg["Date"] = format_datetime(utcnow().replace(tzinfo=UTC))
    for name, value in (email.headers or {}).items():
        msg[name] = value
    # base64: Chinese text in quoted-printable takes three times its UTF-8 size, and 8bit needs
    # every relay on the way to speak 8BITMIME.
    msg.set_content(email.body_text, cte="base64")
    msg.add_alternative(email.body_html, subtype="html", cte="base64")
    return msg


def transport(config, email: OutboundEmail) -> None:
    """Hand the message to MAIL_URL's server, or write it to the outbox folder without one."""
    msg = message(config, email)
    url = config.get("MAIL_URL")
    if not url:
        folder = Path(config.get("MAIL_OUTBOX") or Path(current_app.instance_path) / "outbox")
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{email.created_at:%Y%m%d-%H%M%S}-{email.id}-{email.kind}.eml"
        (folder / name).write_bytes(msg.as_bytes())
        return
    with _connect(url, config["MAIL_TIMEOUT"]) as smtp:
        smtp.send_message(msg)


def _connect(url: str, timeout: float) -> smtplib.SMTP:
    """An SMTP session for smtp://[user:pass@]host[:port] (STARTTLS when the server offers it)
    or smtps://… (TLS from the first byte); certificates are verified either way."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    if parts.scheme == "smtps":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            host, parts.port or 465, timeout=timeout, context=_tls()
        )
    elif parts.scheme == "smtp":
        smtp = smtplib.SMTP(host, parts.port or 25, timeout=timeout)
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=_tls())
            smtp.ehlo()
    else:
        raise ValueError(f"MAIL_URL: unknown scheme {parts.scheme!r} (smtp:// or smtps://)")
    if parts.username:
        smtp.login(unquote(parts.username), unquote(parts.password or ""))
    return smtp


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context per process: loading the system's certificates takes 0.1 s."""
    return ssl.create_default_context()


def _domain(sender: str) -> str:
    msg = EmailMessage()
    msg["From"] = sender
    address: Address = msg["From"].addresses[0]
    return address.domain or "localhost"


def requeue(stuck_after: timedelta, queued_after: timedelta) -> int:
    """Enqueue again the rows whose job was lost: those queued for `queued_after` since they
    were stored or last tried, and those left `sending` longer than `stuck_after` (their worker
    died: docs/operations.md says why they are sent again). Returns how many; the caller
    commits, and the after-commit listener enqueues them."""
    now = utcnow()
    db.session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.status == SENDING, OutboundEmail.claimed_at < now - stuck_after)
        .values(status=QUEUED)
    )
    # Waiting since it was stored, or since its last try failed (or its worker died).
    since = func.coalesce(OutboundEmail.claimed_at, OutboundEmail.created_at)
    ids = db.session.scalars(
        select(OutboundEmail.id)
        .where(OutboundEmail.status == QUEUED, since <= now - queued_after)
        .order_by(OutboundEmail.id)
    ).all()
    db.session.info.setdefault(_PENDING, []).extend(ids)
    return len(ids)
