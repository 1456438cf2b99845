"""Rules for accounts: registration, sign-in, safe redirects and user management."""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug import security
from werkzeug.security import check_password_hash

from app.extensions import db
from app.models import Role, User

PASSWORD_MIN = 8
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
) -> User | None:
    """Create a tenant or agent; None when the email is taken (the caller says so neutrally)."""
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
    if find_by_email(email) is not None:
        return None
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:  # registered by a concurrent request
        return None
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


def list_users(role: str | None = None) -> list[User]:
    query = select(User).order_by(User.created_at.desc(), User.id.desc())
    if role:
        query = query.where(User.role == role)
    return list(db.session.scalars(query))


def change_role(actor: User, user: User, role: str) -> None:
    """An admin gives a user another role; admins do not demote themselves."""
    if role not in {r.value for r in Role}:
        raise AccountError("无效的角色。")
    if actor.id == user.id and role != Role.ADMIN:
        raise AccountError("不能取消自己的管理员身份。")
    user.role = role


def set_active(actor: User, user: User, active: bool) -> None:
    """Deactivate or reactivate an account; admins do not lock themselves out."""
    if actor.id == user.id and not active:
        raise AccountError("不能停用自己的账户。")
    user.active = active
