"""Row locks a transaction takes before it writes: on PostgreSQL, the buildings of changed units.

When a unit changes, the commit rewrites its building's ranking columns (the latest confirmation,
computed by a subquery over the units) and index row (app.listings.upkeep). Under READ COMMITTED
two transactions changing different units of one building would each compute those from a
snapshot taken before the other committed, and the later one would overwrite the other's
confirmation (tests/reliability/test_concurrency.py). Locking the buildings (in id order) before
the units are written makes such transactions run one after the other per building, each
computing from what the previous one committed. SQLite has one writer at a time already.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.listings import Building, Unit


def _unit_buildings(session: Session) -> set[int]:
    changed = (*session.new, *session.dirty, *session.deleted)
    ids = {u.building_id or getattr(u.building, "id", None) for u in changed if isinstance(u, Unit)}
    ids.discard(None)
    return ids


def lock_buildings_of_changed_units(session: Session, _context, _instances) -> None:
    """Before a flush (app.effects): on PostgreSQL, lock the buildings of the changed units."""
    if session.get_bind().dialect.name != "postgresql":
        return
    ids = _unit_buildings(session)
    if ids:
        lock = select(Building.id).where(Building.id.in_(sorted(ids))).order_by(Building.id)
        session.execute(lock.with_for_update())
