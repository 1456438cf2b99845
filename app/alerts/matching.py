"""Who a changed unit matches, and the hits that records: found through the index of saved
searches by place (ix_saved_search_match), never by running saved searches over the listings.

A unit's candidate searches are those keyed by its building's district, town or park, or by
none (the region's); the index holds every column the ranges test, so the place's entries are
tested without reading a row (docs/alerts.md has the figures). The few candidates with a keyword
are then tested on the building's indexed text, those with a circle on its point.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, bindparam, false, func, or_, select, text, union_all
from sqlalchemy.orm import Session

from app.alerts.conditions import UnitState, matches_columns, within
from app.listings.fulltext import query_terms, tokens
from app.models import Building, SavedSearch, SearchHit, Unit
from app.models.alerts import HitKind
from app.models.base import plain_rows

_COLUMNS = (
    SavedSearch.id,
    SavedSearch.keyword,  # the tests the index cannot make come back with the id
    SavedSearch.lat,
    SavedSearch.lon,
    SavedSearch.radius_km,
)
# Tested on each entry of the index ranges sought.
_RANGES = (
    or_(SavedSearch.rent_min.is_(None), SavedSearch.rent_min <= bindparam("rent")),
    or_(SavedSearch.rent_max.is_(None), SavedSearch.rent_max >= bindparam("rent")),
    or_(SavedSearch.area_min.is_(None), SavedSearch.area_min <= bindparam("area")),
    or_(SavedSearch.area_max.is_(None), SavedSearch.area_max >= bindparam("area")),
    or_(SavedSearch.district_id.is_(None), SavedSearch.district_id == bindparam("district")),
    or_(SavedSearch.town_id.is_(None), SavedSearch.town_id == bindparam("town")),
    or_(SavedSearch.park_id.is_(None), SavedSearch.park_id == bindparam("park")),
)
_EQUALITIES = (
    ("deal", SavedSearch.deal),
    ("grade", SavedSearch.grade),
    ("decoration", SavedSearch.decoration),
)


@functools.cache
def _candidates(has: tuple[bool, ...], owner: bool) -> Select:
    """The candidate query of a unit with (or without) a deal, a grade and a decoration: per
    combination of "no condition" and "the unit's value" of the three, one range of
    ix_saved_search_match per place key, the rest tested on each entry. One OR per column
    would make each database scan every entry of the place's keys."""
    ranges = [
        [column.is_(None), *([column == bindparam(name)] if present else [])]
        for (name, column), present in zip(_EQUALITIES, has, strict=True)
    ]
    parts = []
    for equalities in itertools.product(*ranges):
        part = select(*_COLUMNS).where(
            SavedSearch.place_key.in_(bindparam("keys", expanding=True)),
            SavedSearch.paused == false(),
            *equalities,
            *_RANGES,
        )
        if owner:
            # An agent's own listings are news to nobody: their own searches are left out.
            part = part.where(SavedSearch.user_id != bindparam("owner"))
        parts.append(part)
    return union_all(*parts)


_STATE = select(
    Unit.id,
    Unit.building_id,
    Building.owner_id,
    Unit.status,
    Unit.confirmed_at,
    Unit.deal,
    Unit.area_m2,
    Unit.rent_per_m2_day,
    Unit.price_per_m2,
    Unit.decoration,
    Building.status,
    Building.grade,
    Building.district_id,
    Building.town_id,
    Building.park_id,
    Building.lat,
    Building.lon,
).join(Building, Building.id == Unit.building_id)


@dataclass(frozen=True)
class Located:
    """A unit's state now, with the building it is in and who keeps that building."""

    unit_id: int
    building_id: int
    owner_id: int | None
    state: UnitState


def states(session: Session, unit_ids: Iterable[int]) -> dict[int, Located]:
    """The current state of these units (those that still exist), by id."""
    ids = sorted(set(unit_ids))
    found: dict[int, Located] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(_STATE.where(Unit.id.in_(ids[start : start + 500])))
        for unit_id, building_id, owner_id, *values in rows:
            found[unit_id] = Located(unit_id, building_id, owner_id, UnitState(*values))
    return found


_ONE_STATE = _STATE.where(Unit.id == bindparam("unit"))


def state_of(session: Session, unit_id: int) -> Located | None:
    """One unit's current state (None: it no longer exists), read as plain values: it is the
    first step of every change's matching."""
    rows = plain_rows(session, _ONE_STATE, {"unit": unit_id})
    if not rows:
        return None
    unit_id, building_id, owner_id, status, confirmed, *rest = rows[0]
    if isinstance(confirmed, str):  # SQLite gives times as text
        confirmed = datetime.fromisoformat(confirmed)
    return Located(unit_id, building_id, owner_id, UnitState(status, confirmed, *rest))


def building_text(session: Session, building_id: int) -> str:
    """The building's indexed text (app.listings.fulltext.document), as the index holds it."""
    if session.get_bind().dialect.name == "postgresql":
        sql = "SELECT body FROM building_fts WHERE building_id = :id"
    else:
        sql = "SELECT body FROM building_fts WHERE rowid = :id"
    return session.scalar(text(sql), {"id": building_id}) or ""


@functools.lru_cache(maxsize=4096)
def _phrases(q: str) -> tuple[str, ...]:
    """A keyword's terms as the index text holds them: " 地 铁 " (a few keywords are shared by
    thousands of searches, so each is split once)."""
    return tuple(f" {phrase} " for phrase in query_terms(q))


def keyword_matches(body: str, q: str) -> bool:
    """Whether an indexed text matches a keyword as the full-text search does: every term of
    `q` a phrase of consecutive tokens of the text (app.listings.fulltext: one token per
    character, matched as a phrase)."""
    return _has_phrases(_indexed(body), q)


def _indexed(body: str) -> str:
    """The text's tokens between spaces, so that a phrase is a substring (the index's own text
    is made of them already; tokenizing again keeps this true of any text)."""
    return f" {' '.join(tokens(body))} "


def _has_phrases(indexed: str, q: str) -> bool:
    return all(phrase in indexed for phrase in _phrases(q))


def searches_for(session: Session, found: Located) -> list[int]:
    """The ids of the saved searches (not paused) that this unit matches as it is now, public
    or not (the caller decides whether a unit that is not public counts)."""
    state = found.state
    params = {
        "keys": state.place_keys(),
        "deal": state.deal,
        "rent": state.rent_per_m2_day,
        "area": state.area_m2,
        "grade": state.grade,
        "decoration": state.decoration,
        "district": state.district_id,
        "town": state.town_id,
        "park": state.park_id,
    }
    has = (state.deal is not None, state.grade is not None, state.decoration is not None)
    query = _candidates(has, found.owner_id is not None)
    params["owner"] = found.owner_id
    ids: list[int] = []
    indexed: str | None = None  # the building's text, read for the first keyword
    for search_id, keyword, lat, lon, radius_km in plain_rows(session, query, params):
        if lat is not None and not within(lat, lon, radius_km, state.lat, state.lon):
            continue
        if keyword is not None:
            if indexed is None:
                indexed = _indexed(building_text(session, found.building_id))
            if not _has_phrases(indexed, keyword):
                continue
        ids.append(search_id)
    return ids


# -- recording what a change reports ---------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A unit a transaction created or changed, and its state before (None: it is new)."""

    unit_id: int
    before: UnitState | None


def _matched_before(session: Session, ids: list[int], before: UnitState) -> set[int]:
    """Which of these searches the unit's earlier state matched (its building's text taken as it
    is now: a keyword search that matches now matched then, as far as the keyword goes)."""
    matched: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = session.scalars(select(SavedSearch).where(SavedSearch.id.in_(chunk)))
        matched.update(s.id for s in rows if matches_columns(s, before))
    return matched


def hits_for(session: Session, change: Change, now: datetime) -> list[dict]:
    """The hits one change reports, as rows for `record`: a unit that is public now is new to
    the searches it matches now and did not before (every one, if it was not public before);
    a public unit whose rent or price fell reports the drop to every search it matches."""
    found = state_of(session, change.unit_id)
    if found is None or not found.state.public(now):
        return []
    state, before = found.state, change.before
    search_ids = searches_for(session, found)
    if not search_ids:
        return []
    was_public = before is not None and before.public(now) and before.deal == state.deal
    dropped = (
        was_public
        and state.price is not None
        and before.price is not None
        and state.price < before.price
    )
    if dropped:
        kind, old_price = HitKind.PRICE_DROP, before.price
    else:
        kind, old_price = HitKind.NEW, None
        if was_public:
            search_ids = sorted(set(search_ids) - _matched_before(session, search_ids, before))
    return [
        {
            "saved_search_id": search_id,
            "unit_id": found.unit_id,
            "building_id": found.building_id,
            "kind": str(kind),
            "price": state.price,
            "old_price": old_price,
            "created_at": now,
        }
        for search_id in search_ids
    ]


def record(session: Session, rows: list[dict]) -> set[int]:
    """Insert these hits, each once: one already reported (the same search, unit, kind and
    price) is left alone, on SQLite and PostgreSQL alike. Returns the ids of the searches that
    got a hit now. The caller commits."""
    if not rows:
        return set()
    # The unique constraint answers a concurrent duplicate; a hit without a price (a unit with
    # no rent given) is not covered by it (NULLs differ), so those are looked up first.
    unpriced = [r for r in rows if r["price"] is None]
    if unpriced:
        taken = set(
            session.execute(
                select(SearchHit.saved_search_id, SearchHit.unit_id, SearchHit.kind).where(
                    SearchHit.unit_id.in_({r["unit_id"] for r in unpriced}),
                    SearchHit.price.is_(None),
                )
            ).all()
        )
        rows = [
            r
            for r in rows
            if r["price"] is not None
            or (r["saved_search_id"], r["unit_id"], r["kind"]) not in taken
        ]
    inserted: set[int] = set()
    statement = _insert_or_ignore(session).returning(SearchHit.saved_search_id)
    for start in range(0, len(rows), 500):
        batch = rows[start : start + 500]
        inserted.update(session.scalars(statement, batch).all())
    return inserted


def _insert_or_ignore(session: Session):
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(SearchHit).on_conflict_do_nothing()


def changes_of(session: Session, payload: dict) -> list[Change]:
    """The changes app.alerts.changes noted, as the job tests them: each unit's current
    building and its state before the transaction (the unit's and the building's parts each
    from its note, else as they are now)."""
    units = {int(i): before for i, before in payload.get("units", [])}
    buildings = {int(i): before for i, before in payload.get("buildings", [])}
    ids = set(units)
    if buildings:
        ids |= set(session.scalars(select(Unit.id).where(Unit.building_id.in_(buildings))))
    current = states(session, ids)
    changes = []
    for unit_id in sorted(ids):
        found = current.get(unit_id)
        if found is None:
            continue  # deleted since
        if unit_id in units and units[unit_id] is None:
            changes.append(Change(unit_id, None))
            continue
        values = dict(found.state.__dict__)
        values.update(_times(units.get(unit_id) or {}))
        building = buildings.get(found.building_id) or {}
        values.update({f"building_{k}" if k == "status" else k: v for k, v in building.items()})
        changes.append(Change(unit_id, UnitState(**values)))
    return changes


def _times(values: dict) -> dict:
    confirmed = values.get("confirmed_at")
    if isinstance(confirmed, str):
        values = {**values, "confirmed_at": datetime.fromisoformat(confirmed)}
    return values


def pending_counts(session: Session, search_ids: list[int]) -> dict[int, int]:
    """How many hits each of these searches holds that no email has reported yet."""
    if not search_ids:
        return {}
    rows = session.execute(
        select(SearchHit.saved_search_id, func.count())
        .where(SearchHit.saved_search_id.in_(search_ids), SearchHit.sent_at.is_(None))
        .group_by(SearchHit.saved_search_id)
    )
    return dict(rows.all())
