"""The listing search kept current at commit time: the buildings a transaction changed get their
index rows and ranking columns rewritten (app.listings.fulltext.reindex), and the listings change
stamp raised (app.models.stamps), just before it commits.

A change to a place or a park changes what its buildings are found by (their places' names are in
their index text), so their buildings are reindexed too. app.effects registers these listeners,
after the news stamp's: see docs/architecture.md for the order and why it matters.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.geo import cache as gazetteer_cache
from app.listings.fulltext import reindex
from app.models import Building, Park, Place, Unit, stamps

PENDING = "fulltext_pending"  # session.info: ids of the buildings this transaction changed
PENDING_PLACES = "fulltext_pending_places"  # session.info: the places and parks it changed


def _affected_buildings(session: Session, objects: Iterable[object]) -> set[int]:
    ids: set[int] = set()
    for obj in objects:
        if isinstance(obj, Building) and obj.id is not None:
            ids.add(obj.id)
        elif isinstance(obj, Unit) and obj.building_id is not None:
            ids.add(obj.building_id)
        elif isinstance(obj, Place | Park):
            session.info.setdefault(PENDING_PLACES, set()).add(obj)
    return ids


def remember_changes(session: Session, _context) -> None:
    """After a flush: note the buildings (and places, parks) it wrote."""
    changed = _affected_buildings(session, [*session.new, *session.dirty, *session.deleted])
    if changed:
        session.info.setdefault(PENDING, set()).update(changed)


def apply_changes(session: Session) -> None:
    """Before a commit: reindex the changed buildings, then raise the listings stamp."""
    session.flush()
    places = session.info.pop(PENDING_PLACES, set())
    ids = session.info.pop(PENDING, set())
    if places:
        place_ids = [p.id for p in places if isinstance(p, Place) and p.id is not None]
        park_ids = [p.id for p in places if isinstance(p, Park) and p.id is not None]
        ids |= set(
            session.scalars(
                select(Building.id).where(
                    Building.town_id.in_(place_ids)
                    | Building.district_id.in_(place_ids)
                    | Building.park_id.in_(park_ids)
                    | Building.park_id.in_(select(Park.id).where(Park.place_id.in_(place_ids)))
                )
            ).all()
        )
    if ids:
        with session.no_autoflush:
            reindex(session, ids)
    if places:
        # What every process builds from the gazetteer (app.geo.cache) goes stale.
        stamps.bump(session, stamps.PLACES)
    if ids or places:
        # Last write before the commit: cached search pages keyed by the old stamp go stale.
        stamps.bump(session, stamps.LISTINGS)


def forget_changes(session: Session) -> None:
    """After a rollback: nothing rolled back is reindexed, and what was built from places or
    parks it had written is stale."""
    session.info.pop(PENDING, None)
    if session.info.pop(PENDING_PLACES, None):
        gazetteer_cache.invalidate()
