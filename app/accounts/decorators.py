"""Access rules for views: who is signed in, and sign-in with one of a set of roles."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.extensions import db
from app.models import User


def load_user(user_id: str) -> User | None:
    """The signed-in user; a deactivated account is signed out on its next request."""
    user = db.session.get(User, int(user_id)) if user_id.isdecimal() else None
    return user if user is not None and user.active else None


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
