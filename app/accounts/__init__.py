"""Accounts: registration, sign-in and roles."""

from flask import Flask

from app.accounts.views import bp
from app.extensions import db, login_manager
from app.models import User


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in user; a deactivated account is signed out on its next request."""
    user = db.session.get(User, int(user_id)) if user_id.isdecimal() else None
    return user if user is not None and user.active else None


def init_app(app: Flask) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "请先登录。"
    login_manager.login_message_category = "warning"
    app.register_blueprint(bp)
