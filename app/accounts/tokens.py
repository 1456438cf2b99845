"""Signed links sent by email: verifying an address, resetting a password."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from app.config import RESET_LINK_HOURS, VERIFY_LINK_DAYS
from app.models.base import utcnow

VERIFY, RESET = "verify-email", "reset-password"
LIFETIMES = {VERIFY: timedelta(days=VERIFY_LINK_DAYS), RESET: timedelta(hours=RESET_LINK_HOURS)}


class TokenError(ValueError):
    """A link that opens nothing; `status` is the HTTP answer, the message is Chinese."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _serializer(purpose: str) -> URLSafeSerializer:
    # The salt keeps a link of one purpose from being accepted as the other.
    return URLSafeSerializer(current_app.secret_key, salt=purpose)


def _timestamp(moment: datetime) -> int:
    return int(moment.replace(tzinfo=UTC).timestamp())


def make(purpose: str, payload: dict, now: datetime | None = None) -> str:
    """A signed token carrying `payload` and the moment it was issued (naive UTC, as stored)."""
    return _serializer(purpose).dumps({**payload, "t": _timestamp(now or utcnow())})


def read(purpose: str, token: str, now: datetime | None = None) -> dict:
    """The payload of a token of `purpose` that is still within its lifetime.

    The issue time travels inside the signed payload rather than in itsdangerous' own timestamp,
    so that a test, or a caller, can say what "now" is.
    """
    try:
        payload = _serializer(purpose).loads(token)
    except BadSignature:
        raise TokenError("链接无效：请检查是否完整复制了邮件中的链接。", 400) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("t"), int):
        raise TokenError("链接无效：请检查是否完整复制了邮件中的链接。", 400)
    age = _timestamp(now or utcnow()) - payload["t"]
    if age > LIFETIMES[purpose].total_seconds():
        raise TokenError(_EXPIRED[purpose], 410)
    return payload


_EXPIRED = {
    VERIFY: f"验证链接已过期（有效期 {VERIFY_LINK_DAYS} 天），请登录后重新发送验证邮件。",
    RESET: f"重置链接已过期（有效期 {RESET_LINK_HOURS} 小时），请重新申请。",
}
