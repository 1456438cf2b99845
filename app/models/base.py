"""Column helpers shared by the models, and a fast way to read many plain rows."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, Session, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


def plain_rows(session: Session, statement, params: dict | None = None) -> list[tuple]:
    """The rows of a statement as the driver returns them: tuples, with no Row object and no
    type conversion per row. For ids, numbers and text only: SQLite returns dates as text.

    Building SQLAlchemy's rows cost about 0.5 us each, 5 ms of the 10,000 ids a keyword page
    may read (PostgreSQL and SQLite alike).
    """
    result = session.connection().execute(statement, params)  # Core: the driver's cursor
    try:
        return result.cursor.fetchall()
    finally:
        result.close()
