"""The rollups recomputed from the units and their whole history: `rebuild` (everything, after the
migration or to repair), `refresh` (what the passing days change: the windowed figures, and the
months that have closed) and the job that recomputes the places a building left or joined.

One walk of the history in time order, one unit's state at a time, finds every place's monthly
medians, its new and let units in the window and its days on the market; the current histograms
come from one read of the available units. Both hold the memory of a unit or two per unit (a
million units: a few hundred MB at most), never a list of values per place and month.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import Session

from app.market.figures import DAYS_ON_MARKET_WINDOW, MIN_UNITS, WINDOW_DAYS, month_starts
from app.market.rollups import (
    DOM,
    RENT,
    SALE,
    SNAPSHOT_COLUMNS,
    PlaceGrade,
    PlaceMap,
    Snapshot,
    contribution,
    dom_figure,
    fen,
    quantiles,
    rent_figures,
    sale_figures,
    upsert,
)
from app.models import Building, Park, Place, Unit, UnitEvent
from app.models.base import utcnow
from app.models.market import MarketBin, MarketFigures, MarketMonth

WINDOWED = ("new_30d", "let_30d", "days_on_market", "updated_at")
HISTORY_MONTHS = 60  # closed months kept: the trend's 24, and reports on months further back
BATCH = 5000


@dataclass
class History:
    """What the walk of the history finds, per place and grade."""

    months: list[dict] = field(default_factory=list)  # market_month rows
    new: Counter = field(default_factory=Counter)
    let: Counter = field(default_factory=Counter)
    dom: Counter = field(default_factory=Counter)  # (place, grade, days): units


def rebuild(session: Session, now: datetime | None = None) -> None:
    """Recompute every rollup of every place from the units and the history."""
    recompute(session, None, current=True, now=now)


def refresh(session: Session, now: datetime | None = None) -> None:
    """Recompute what the days change (new and let in the window, days on the market, the
    closed months) for every place; the current histograms, exact at every commit, stay."""
    recompute(session, None, current=False, now=now)


def recompute(
    session: Session, place_ids: Iterable[int] | None, current: bool, now: datetime | None = None
) -> None:
    """Recompute the rollups of `place_ids` (None: every place); with `current`, the
    histograms of the units now too."""
    now = now or utcnow()
    places = PlaceMap(session)
    keep = set(place_ids) if place_ids is not None else None
    scope = _scope(keep)
    history = walk(session, places, scope, keep, now)
    owned = (lambda column: column.in_(keep)) if keep is not None else (lambda column: True)
    measures = [DOM, RENT, SALE] if current else [DOM]
    session.execute(
        delete(MarketBin).where(owned(MarketBin.place_id), MarketBin.measure.in_(measures))
    )
    session.execute(delete(MarketMonth).where(owned(MarketMonth.place_id)))
    bins: dict[tuple, list] = defaultdict(lambda: [0, 0.0])
    if current:
        for snapshot in _available(session, scope):
            counted = contribution(snapshot)
            if counted:
                for place_grade in places.keys(snapshot.where):
                    if keep is None or place_grade[0] in keep:
                        b = bins[(*place_grade, *counted)]
                        b[0] += 1
                        b[1] += snapshot.area
    for (place_id, grade, days), units in history.dom.items():
        bins[(place_id, grade, DOM, days)] = [units, 0.0]
    _insert(
        session,
        MarketBin,
        (
            {"place_id": p, "grade": g, "measure": m, "key": k, "units": b[0], "area": b[1]}
            for (p, g, m, k), b in sorted(bins.items())
        ),
    )
    _insert(session, MarketMonth, history.months)
    _figures(session, bins, history, owned, current, now)


def _figures(session, bins, history: History, owned, current: bool, now: datetime) -> None:
    by_key: dict[PlaceGrade, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for (place_id, grade, measure, key), (units, area) in sorted(bins.items()):
        by_key[(place_id, grade)][measure].append((key, units, area))
    existing = set(
        session.execute(
            select(MarketFigures.place_id, MarketFigures.grade).where(owned(MarketFigures.place_id))
        ).all()
    )
    keys = set(by_key) | set(history.new) | set(history.let) | {tuple(k) for k in existing}
    rows = []
    for place_grade in sorted(keys):
        measured = by_key.get(place_grade, {})
        row = {"place_id": place_grade[0], "grade": place_grade[1]}
        # Without `current` only a new row takes these: the histograms hold no unit of it.
        row.update(rent_figures(measured.get(RENT, [])))
        row.update(sale_figures(measured.get(SALE, [])))
        row["new_30d"] = history.new[place_grade]
        row["let_30d"] = history.let[place_grade]
        row["days_on_market"] = dom_figure(measured.get(DOM, []))
        row["updated_at"] = now
        rows.append(row)
    if current:
        session.execute(delete(MarketFigures).where(owned(MarketFigures.place_id)))
        _insert(session, MarketFigures, rows)
    else:
        for start in range(0, len(rows), BATCH):
            upsert(
                session,
                MarketFigures,
                rows[start : start + BATCH],
                ("place_id", "grade"),
                update=WINDOWED,
            )


def _insert(session: Session, model, rows: Iterable[dict]) -> None:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            session.execute(insert(model), batch)
            batch = []
    if batch:
        session.execute(insert(model), batch)


def _scope(keep: set[int] | None):
    """The buildings counted in any of `keep` (None: all)."""
    if keep is None:
        return None
    ids = sorted(keep)
    return or_(
        Building.district_id.in_(ids),
        Building.town_id.in_(ids),
        Building.park_id.in_(select(Park.id).where(Park.place_id.in_(ids))),
        Building.district_id.in_(select(Place.id).where(Place.parent_id.in_(ids))),
    )


def _available(session: Session, scope) -> Iterable[Snapshot]:
    query = (
        select(*SNAPSHOT_COLUMNS)
        .join(Building, Unit.building_id == Building.id)
        .where(Building.status == "published", Unit.status == "available")
    )
    if scope is not None:
        query = query.where(scope)
    for row in _stream(session, query):
        yield Snapshot(*row)


def _stream(session: Session, query):
    """Rows in batches, on the session's connection: the ORM's result layer would double the
    time of a walk over millions of rows."""
    result = session.connection().execute(query.execution_options(yield_per=BATCH))
    for rows in result.partitions():
        yield from rows


def walk(session: Session, places: PlaceMap, scope, keep: set[int] | None, now: datetime):
    """Replay the history in time order: each unit's state at each month's end (its last event
    before it), and the events of the windows that end now."""
    # cutoffs[i] closes the month before it; the last is this month's first day.
    cutoffs = [_midnight(m) for m in month_starts(now.date(), HISTORY_MONTHS + 1)[1:]]
    recent, year_ago = (
        now - timedelta(days=WINDOW_DAYS),
        now - timedelta(days=DAYS_ON_MARKET_WINDOW),
    )
    history = History()
    live: dict[PlaceGrade, Counter] = defaultdict(Counter)
    state: dict[int, tuple] = {}  # unit: (fen or None, its (place, grade) keys)
    last_listed: dict[int, datetime] = {}
    query = (
        select(
            UnitEvent.unit_id,
            UnitEvent.at,
            UnitEvent.kind,
            UnitEvent.status,
            UnitEvent.deal,
            UnitEvent.rent_per_m2_day,
            Building.grade,
            Building.district_id,
            Building.town_id,
            Building.park_id,
        )
        .join(Building, UnitEvent.building_id == Building.id)
        .order_by(UnitEvent.at, UnitEvent.id)
    )
    if scope is not None:
        query = query.where(scope)
    next_cutoff = 0
    for unit_id, at, kind, status, deal, rent, *where in _stream(session, query):
        while next_cutoff < len(cutoffs) and at >= cutoffs[next_cutoff]:
            _close(history, live, _previous(cutoffs[next_cutoff].date()))
            next_cutoff += 1
        keys = [k for k in places.keys(tuple(where)) if keep is None or k[0] in keep]
        value = fen(rent) if status == "available" and deal == "rent" and rent is not None else None
        old = state.get(unit_id)
        if old is not None and old[0] is not None:
            for key in old[1]:
                live[key][old[0]] -= 1
        if value is not None:
            for key in keys:
                live[key][value] += 1
        state[unit_id] = (value, keys)
        if year_ago <= at <= now:
            if kind in ("listed", "leased") and at >= recent:
                for key in keys:
                    (history.new if kind == "listed" else history.let)[key] += 1
            listed = last_listed.get(unit_id)
            if kind in ("leased", "sold") and listed is not None and listed < at:
                for key in keys:
                    history.dom[(*key, (at - listed).days)] += 1
        if kind == "listed":
            last_listed[unit_id] = at
    for cutoff in cutoffs[next_cutoff:]:
        _close(history, live, _previous(cutoff.date()))
    return history


def _close(history: History, live: dict[PlaceGrade, Counter], month: date) -> None:
    """The month's row of every place and grade with units on the market at its end."""
    for (place_id, grade), counts in live.items():
        values = sorted((key / 100, n) for key, n in counts.items() if n)
        total, (median,) = quantiles(values, (0.5,))
        if total:
            history.months.append(
                {
                    "place_id": place_id,
                    "grade": grade,
                    "month": month,
                    "rent_median": median if total >= MIN_UNITS else None,
                    "rental_units": total,
                }
            )


def _previous(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())
