"""Change stamps: a counter per kind of content, raised in the transaction that changes it.

Cached pages are keyed by the stamp of what they show, so a change seen by one worker is seen
by every worker (and every server) at their next request, without telling them.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, String, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db

LISTINGS = "listings"  # buildings, units, places and parks: what the search pages show


class ChangeStamp(db.Model):
    __tablename__ = "change_stamp"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


def current(session: Session, name: str) -> int:
    """The stamp's version (0 before the first change)."""
    found = session.scalar(select(ChangeStamp.version).where(ChangeStamp.name == name))
    return found or 0


def bump(session: Session, name: str) -> None:
    """Raise the stamp inside the session's transaction (an upsert, so a missing row is fine).

    Taken last in a transaction, just before its commit, so holding its row lock never waits
    on another lock and two writers cannot deadlock over it.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = ChangeStamp.__table__
    statement = insert(table).values(name=name, version=1)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.name], set_={"version": table.c.version + 1}
    )
    session.execute(statement)
