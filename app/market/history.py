"""Rent history at commit time: every change of a unit's rent, sale price or status becomes a
UnitEvent, whatever made it (a form, a CSV import, an admin, a building hidden or deleted), and
the rollups follow (app.market.rollups).

Each flush notes, before it writes, what the units it changes (and all the units of the
buildings it changes) were: read from the database, so the first note of a unit in a
transaction is its state before the transaction. Just before the commit, the same units are
read again; a unit whose market state (published or not, status, deal, rent, price) differs
gets its event, and the difference goes to the rollups. A change and its undoing in one
transaction (or a SAVEPOINT rolled back) record nothing. app.effects registers these listeners.
"""

from __future__ import annotations

import logging

from sqlalchemy import insert, inspect, select
from sqlalchemy.orm import Session

from app import jobs
from app.market import rollups
from app.market.commands import recompute_places  # the job: it owns its unit of work
from app.market.rollups import Snapshot
from app.models import Building, Unit, UnitEvent
from app.models.base import utcnow

log = logging.getLogger(__name__)

PENDING = "market_pending"  # session.info: {unit id: its Snapshot before the transaction, or None}
MOVED = "market_moved"  # session.info: places whose buildings moved, for the job after commit
OFF = "market_history_off"  # session.info: set by a loader that writes its own history

# What a unit's market state is made of (its building as the column or the relationship).
UNIT_FIELDS = (
    "building_id",
    "building",
    "deal",
    "status",
    "rent_per_m2_day",
    "price_per_m2",
    "area_m2",
)
BUILDING_FIELDS = ("status", "grade", "district_id", "town_id", "park_id")


def _changed(obj, fields: tuple[str, ...]) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.added for name in fields)


def note_before_flush(session: Session, _context, _instances) -> None:
    """Before a flush: note what the units it changes, and the units of the buildings it
    changes, were (the first note of a unit in a transaction wins)."""
    if session.info.get(OFF):
        return
    units, buildings = set(), set()
    for obj in session.deleted:
        if isinstance(obj, Unit) and obj.id is not None:
            units.add(obj.id)
        elif isinstance(obj, Building) and obj.id is not None:
            buildings.add(obj.id)
    for obj in session.dirty:
        if isinstance(obj, Unit) and obj.id is not None and _changed(obj, UNIT_FIELDS):
            units.add(obj.id)
        elif isinstance(obj, Building) and obj.id is not None and _changed(obj, BUILDING_FIELDS):
            buildings.add(obj.id)
    if not units and not buildings:
        return
    pending = session.info.setdefault(PENDING, {})
    units -= pending.keys()
    found = rollups.snapshots(session, units, buildings)
    for unit_id in units:
        pending.setdefault(unit_id, found.get(unit_id))
    for unit_id, snapshot in found.items():
        pending.setdefault(unit_id, snapshot)


def note_new_units(session: Session, _context) -> None:
    """After a flush: the units it created were nothing before."""
    if session.info.get(OFF):
        return
    for obj in session.new:
        if isinstance(obj, Unit) and obj.id is not None:
            session.info.setdefault(PENDING, {}).setdefault(obj.id, None)


def record(session: Session) -> None:
    """Before a commit: write the events of the units whose market state changed, and add the
    change to the rollups."""
    if session.info.get(OFF):
        session.info.pop(PENDING, None)
        return
    if session.in_nested_transaction():
        return  # a SAVEPOINT's release: the outermost commit records the whole transaction
    session.flush()
    before = session.info.pop(PENDING, None)
    if not before:
        return
    after = rollups.snapshots(session, before)
    now = utcnow()
    events = [
        event
        for unit_id in sorted(before)
        if (event := _event(before[unit_id], after.get(unit_id), now))
    ]
    if events:
        session.execute(insert(UnitEvent), events)
    rollups.apply(session, before, after, events, now)
    moved = _moved(session, before, after)
    if moved:
        session.info.setdefault(MOVED, set()).update(moved)


def _event(before: Snapshot | None, after: Snapshot | None, now) -> dict | None:
    """The event of a unit's change, if its market state changed."""
    was = before if before is not None and before.on_market else None
    now_on = after if after is not None and after.on_market else None
    kind = None
    if now_on is None:
        if was is not None and was.status == "available":
            return _row(was, "withdrawn", "withdrawn", now)
        return None
    if was is None or was.status != now_on.status:
        kind = "listed" if now_on.status == "available" else now_on.status
        if was is None and now_on.status != "available":
            return None  # seen for the first time, already off the market
    elif now_on.status == "available":
        if now_on.deal == "rent" and (was.rent != now_on.rent or was.deal != now_on.deal):
            kind = "rent"
        elif now_on.deal == "sale" and (was.price != now_on.price or was.deal != now_on.deal):
            kind = "price"
    return _row(now_on, kind, now_on.status, now) if kind else None


def _row(snapshot: Snapshot, kind: str, status: str, now) -> dict:
    return {
        "unit_id": snapshot.unit_id,
        "building_id": snapshot.building_id,
        "at": now,
        "kind": kind,
        "status": status,
        "deal": snapshot.deal,
        "area_m2": snapshot.area,
        "rent_per_m2_day": snapshot.rent,
        "price_per_m2": snapshot.price,
    }


def _moved(session: Session, before: dict, after: dict) -> set[int]:
    """The places of the buildings whose places or grade changed, or that are gone: what the
    figures read of their history moves with them."""
    changed = set()
    gone = {s.building_id for uid, s in before.items() if s is not None and uid not in after}
    if gone:
        present = set(
            session.scalars(select(Building.id).where(Building.id.in_(sorted(gone)))).all()
        )
        gone -= present
    wheres = set()
    for unit_id, old in before.items():
        new = after.get(unit_id)
        if old is None:
            continue
        if old.building_id in gone or (new is not None and new.where != old.where):
            wheres.add(old.where)
            if new is not None:
                wheres.add(new.where)
    if wheres:
        places = rollups.place_map(session)
        changed = {place for where in wheres for place, _grade in places.keys(where)}
    return changed


def recompute_after_commit(session: Session) -> None:
    """After the outermost commit: a job recomputes the history's figures of the places that
    buildings left or joined."""
    if session.in_nested_transaction():
        return
    session.info.pop(PENDING, None)  # noted by later flushes of the commit: nothing of ours
    moved = session.info.pop(MOVED, None)
    if moved:
        try:
            jobs.enqueue(recompute_places, sorted(moved))
        except Exception:
            # Redis is down: `market refresh` puts them right (docs/market.md).
            log.exception("could not enqueue the recomputing of places %s", sorted(moved))


def forget_after_rollback(session: Session, previous_transaction) -> None:
    """After a rollback of the outermost transaction: it changed nothing."""
    if previous_transaction.parent is None:
        session.info.pop(PENDING, None)
        session.info.pop(MOVED, None)
