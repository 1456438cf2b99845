"""A signed-in tenant's inquiries and the agents' answers (/accounts/inquiries)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user, login_required

from app.accounts.inquiries import sent_inquiries
from app.accounts.views import bp
from app.config import PER_PAGE
from app.models.accounts import INQUIRY_STATUS_LABELS


@bp.get("/inquiries")
@login_required
def inquiries():
    """List every inquiry the user sent, newest first, with its status and the agent's answer."""
    page = max(1, min(request.args.get("page", 1, type=int), 100_000))
    return render_template(
        "accounts/inquiries.html",
        pages=sent_inquiries(current_user.id, page, PER_PAGE),
        labels=INQUIRY_STATUS_LABELS,
    )
