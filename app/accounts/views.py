"""Views of registration and sign-in."""

from flask import Blueprint, render_template

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


@bp.get("/login")
def login():
    """Show the sign-in page."""
    return render_template("accounts/login.html")
