"""What a transaction changed that saved searches care about: noted at each flush, handed to a
matching job once the transaction commits (app.effects registers these listeners).

A note holds what a unit's tested columns were before the transaction (None for a new unit)
and, for a building whose publication, places, grade or point changed, the building's: the job
compares that state with what it reads after the commit, so a unit is reported to the searches
it newly matches, and a price drop to those it matches. A commit that touches no unit and no
building notes nothing and costs nothing more than a look at what the flush writes.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app import jobs
from app.alerts.commands import match_changes  # the job: it owns its unit of work
from app.listings.services import EXPIRED_AFTER
from app.models import Building, Unit
from app.models.base import utcnow

log = logging.getLogger(__name__)

PENDING = "alerts_pending"  # session.info: {"units": {id: before}, "buildings": {id: before}}
# What the conditions test: a change to anything else leaves every match as it was.
UNIT_FIELDS = (
    "status",
    "confirmed_at",
    "deal",
    "area_m2",
    "rent_per_m2_day",
    "price_per_m2",
    "decoration",
)
BUILDING_FIELDS = ("status", "grade", "district_id", "town_id", "park_id", "lat", "lon")


def _old_values(session: Session, obj, fields: tuple[str, ...]) -> dict:
    """The values before this flush of those `fields` it changes. A value set on an expired
    instance has none in its history: the database, not yet written, still holds it."""
    attrs = inspect(obj).attrs
    old: dict = {}
    unknown = []
    for name in fields:
        history = attrs[name].history
        if not history.added:
            continue
        if history.deleted:
            old[name] = history.deleted[0]
        else:
            unknown.append(name)
    if unknown:
        model = type(obj)
        with session.no_autoflush:
            row = session.execute(
                select(*(getattr(model, name) for name in unknown)).where(model.id == obj.id)
            ).one_or_none()
        if row is not None:
            old.update(zip(unknown, row, strict=True))
    return {name: value for name, value in old.items() if value != getattr(obj, name)}


def _plain(values: dict) -> dict:
    """A job's arguments are plain values: times as ISO text."""
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}


def _matters(old: dict, now: datetime) -> bool:
    """Whether a unit's change can change what it matches: a new confirmation alone matters
    only to a unit that had left the search (expired)."""
    if set(old) != {"confirmed_at"}:
        return bool(old)
    confirmed = old["confirmed_at"]
    return confirmed is None or confirmed < now - EXPIRED_AFTER


def _may_be_public(unit: Unit) -> bool:
    """Whether a unit can be found now, as far as the session knows without a query: an
    agent's work on a draft, or on a unit leased or reserved, reports nothing and costs no job.
    The job still checks everything (confirmation, publication) on the committed rows."""
    if unit.status != "available":
        return False
    building = inspect(unit).attrs.building.loaded_value
    return not isinstance(building, Building) or building.status == "published"


def note_before_flush(session: Session, _context, _instances) -> None:
    """Before a flush: note the units and buildings it will change in a tested column, each
    with those columns' values before the transaction (the first note of each wins)."""
    now = None
    for obj in session.dirty:
        if isinstance(obj, Unit) and obj.id is not None and _may_be_public(obj):
            old = _old_values(session, obj, UNIT_FIELDS)
            now = now or utcnow()
            if _matters(old, now):
                _noted(session)["units"].setdefault(obj.id, _plain(old))
        elif isinstance(obj, Building) and obj.id is not None and obj.status == "published":
            old = _old_values(session, obj, BUILDING_FIELDS)
            if old:
                _noted(session)["buildings"].setdefault(obj.id, _plain(old))


def note_new_units(session: Session, _context) -> None:
    """After a flush: note the units it created (their ids are known now), as new."""
    for obj in session.new:
        if isinstance(obj, Unit) and obj.id is not None and _may_be_public(obj):
            _noted(session)["units"].setdefault(obj.id, None)


def _noted(session: Session) -> dict:
    return session.info.setdefault(PENDING, {"units": {}, "buildings": {}})


def match_after_commit(session: Session) -> None:
    """After the outermost commit: a job matches what the transaction noted (it reads the
    committed rows, so it is enqueued only now)."""
    if session.in_nested_transaction():
        return
    pending = session.info.pop(PENDING, None)
    if not pending or not (pending["units"] or pending["buildings"]):
        return
    payload = {
        "units": [[i, before] for i, before in sorted(pending["units"].items())],
        "buildings": [[i, before] for i, before in sorted(pending["buildings"].items())],
    }
    try:
        jobs.enqueue(match_changes, payload)
    except Exception:
        # Redis is down: these changes report nothing (docs/alerts.md, "What can be lost").
        log.exception("could not enqueue the matching of %s", payload)


def forget_after_rollback(session: Session, previous_transaction) -> None:
    """After a rollback of the outermost transaction: it changed nothing to match."""
    if previous_transaction.parent is None:
        session.info.pop(PENDING, None)
