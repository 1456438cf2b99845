"""Access rules for views: who is signed in (and under which session version), and sign-in with
one of a set of roles."""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, request, session
from flask_login import current_user, login_required, login_user

from app.extensions import db
from app.models import User


def session_id(user: User) -> str:
    """What a session and a remember cookie keep of a user: the id and the session version, so
    that raising the version (a password change or reset) signs out every session and cookie
    made before it."""
    return f"{user.id}:{user.session_version or 0}"


def load_user(user_id: str) -> User | None:
    """The signed-in user; a deactivated account, or a session or remember cookie made under an
    older session version (or before versions existed), is signed out on its next request."""
    ident, _, version = user_id.partition(":")
    # Both parts are short ASCII numbers: anything else is no session of ours (and a huge id
    # would overflow PostgreSQL's integer before it could miss).
    if not all(part.isascii() and part.isdecimal() and len(part) <= 9 for part in (ident, version)):
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.active or (user.session_version or 0) != int(version):
        return None
    return user


def sign_in(user: User, remember: bool = False) -> None:
    """Sign `user` in for this session (and a remember cookie if asked) under their current
    session version. Flask-Login keeps what `get_id` returns, the bare id; the versioned id is put
    in its place, and the remember cookie, written after the request, carries it too."""
    login_user(user, remember=remember)
    session["_user_id"] = session_id(user)


def has_remember_cookie() -> bool:
    """Whether this request came with a remember cookie (so a new sign-in should renew it)."""
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies


def role_required(*roles: str):
    """Require a signed-in user with one of `roles`; others get 403 (anonymous: sign-in page)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
