"""What a signed-in user sent to agents: their inquiries, with the answers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Inquiry


def sent_inquiries(user_id: int, page: int, per_page: int):
    """The inquiries a user sent, newest first, one page (a flask_sqlalchemy Pagination; a page
    past the end is empty), with their buildings and units loaded."""
    query = (
        select(Inquiry)
        .where(Inquiry.user_id == user_id)
        .options(joinedload(Inquiry.building), joinedload(Inquiry.unit))
        .order_by(Inquiry.created_at.desc(), Inquiry.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
