"""smtp:// takes STARTTLS when the server offers it, verifies the server's certificate, and
logs in with MAIL_URL's percent-encoded user and password."""

from __future__ import annotations

import ssl

from sqlalchemy import select

from app import mail
from app.extensions import db
from app.mail import send_email
from app.models import OutboundEmail


def _send() -> None:
    send_email("li@example.com", "notice", key="tls:1", subject="加密", name="李四", line="……")
    db.session.commit()


def _row() -> OutboundEmail:
    db.session.expire_all()
    return db.session.scalars(select(OutboundEmail)).one()


def test_a_server_offering_starttls_gets_the_email_encrypted_after_a_login(
    app, notice, tls_mailbox, monkeypatch
):
    tls_mailbox.clear()
    trusting = ssl.create_default_context(cafile=tls_mailbox.cafile)
    monkeypatch.setattr(mail, "_tls", lambda: trusting)
    app.config["MAIL_URL"] = tls_mailbox.url
    _send()
    (msg,) = tls_mailbox.wait_for(1)  # the server takes mail only after STARTTLS and a login
    assert msg["Subject"] == "加密"
    assert _row().status == "sent"


def test_a_certificate_the_system_does_not_trust_is_refused(app, notice, tls_mailbox):
    tls_mailbox.clear()
    app.config["MAIL_URL"] = tls_mailbox.url
    _send()
    row = _row()
    assert row.status == "queued" and "CERTIFICATE_VERIFY_FAILED" in row.last_error
    assert tls_mailbox.messages == []
