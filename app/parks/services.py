"""Queries about parks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Park, Place


def all_parks() -> list[Park]:
    query = select(Park).join(Park.place).options(joinedload(Park.place)).order_by(Place.name)
    return list(db.session.scalars(query))


def get_park(slug: str) -> Park | None:
    return db.session.scalar(select(Park).where(Park.slug == slug))
