"""Account work done after the response: the password reset email."""

from __future__ import annotations

from app.accounts import services
from app.extensions import db
from app.filters import site_url


def send_reset_link(email: str) -> None:
    """Email a reset link if an active account has this address. A job, so that a request for a
    registered address answers as fast as one for an unknown address: both only enqueue this."""
    services.request_reset(email, lambda token: site_url("accounts.reset_link", token=token))
    db.session.commit()
