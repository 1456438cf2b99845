"""Views of the agents' area."""

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("agent", __name__, url_prefix="/agent")


@bp.get("/")
@login_required
def dashboard():
    """Show the agent's buildings and inquiries."""
    return render_template("agent/dashboard.html")
