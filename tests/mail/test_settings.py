"""MAIL_URL as the operator sees it: where a production start says emails go."""

from __future__ import annotations

import logging

from app import create_app
from app.config import describe_mail


def test_the_description_names_the_server_and_never_the_password():
    url = "smtp://noreply%40example.com:s3cret@smtp.example.com:587"
    text = describe_mail({"MAIL_URL": url})
    assert text == "smtp://smtp.example.com:587 as noreply@example.com (STARTTLS when offered)"
    assert describe_mail({"MAIL_URL": "smtps://u:p@mail.example.com"}).startswith(
        "smtps://mail.example.com:465 as u (TLS)"
    )
    assert "instance/outbox" in describe_mail({"MAIL_URL": None, "MAIL_OUTBOX": None})


def test_a_production_start_logs_the_transport(database_url, caplog):
    logging.getLogger("app.config").disabled = False  # see tests/mail/conftest.py
    with caplog.at_level(logging.WARNING, logger="app.config"):
        create_app(
            {
                "CONFIG": "production",
                "SECRET_KEY": "x" * 32,
                "SQLALCHEMY_DATABASE_URI": database_url,
                "MAIL_URL": "smtps://user:secret@mail.example.com",
                "RATELIMIT_STORAGE_URI": "memory://",
            }
        )
    assert "email: smtps://mail.example.com:465 as user (TLS)" in caplog.text
    assert "secret" not in caplog.text
