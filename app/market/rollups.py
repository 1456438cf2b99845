"""The market's rollups kept current at commit time: exact deltas of each place's histograms
(app.models.market.MarketBin), and its figures row recomputed from them.

A transaction that changes units hands `apply` what those units were before it and are after it
(app.market.history takes both from the database); the difference of their contributions is
added to the histograms of every place and grade they count in, and those places' figures rows
are recomputed from their histograms, never from the units. docs/market.md says why this is done
at commit time and what `app.market.rebuild` recomputes from the history instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from app.extensions import db
from app.geo.cache import GazetteerCache
from app.market.figures import FIELDS, MIN_UNITS
from app.models import Building, Park, Place, PlaceKind, Unit, UnitEvent
from app.models.base import utcnow
from app.models.market import ALL_GRADES, MarketBin, MarketFigures

RENT, SALE, DOM = "rent", "sale", "dom"
QUARTILES = (0.25, 0.5, 0.75)
PlaceGrade = tuple[int, str]


@dataclass(frozen=True)
class Snapshot:
    """What a unit is to the market: its own columns and its building's."""

    unit_id: int
    building_id: int
    deal: str
    status: str
    rent: float | None
    price: float | None
    area: float
    building_status: str
    grade: str | None
    district_id: int | None
    town_id: int | None
    park_id: int | None

    @property
    def on_market(self) -> bool:
        """Whether the unit is seen at all: its building is published."""
        return self.building_status == "published"

    @property
    def where(self) -> tuple:
        """What places and grade it counts in."""
        return (self.grade, self.district_id, self.town_id, self.park_id)


SNAPSHOT_COLUMNS = (
    Unit.id,
    Unit.building_id,
    Unit.deal,
    Unit.status,
    Unit.rent_per_m2_day,
    Unit.price_per_m2,
    Unit.area_m2,
    Building.status,
    Building.grade,
    Building.district_id,
    Building.town_id,
    Building.park_id,
)


def snapshots(
    session: Session, unit_ids: Iterable[int] = (), building_ids: Iterable[int] = ()
) -> dict[int, Snapshot]:
    """The units named, and all the units of the buildings named, as the database holds them."""
    unit_ids, building_ids = sorted(set(unit_ids)), sorted(set(building_ids))
    found: dict[int, Snapshot] = {}
    query = select(*SNAPSHOT_COLUMNS).join(Building, Unit.building_id == Building.id)
    with session.no_autoflush:
        for column, ids in ((Unit.id, unit_ids), (Unit.building_id, building_ids)):
            for start in range(0, len(ids), 500):
                rows = session.execute(query.where(column.in_(ids[start : start + 500])))
                found.update((row[0], Snapshot(*row)) for row in rows)
    return found


def fen(rent: float) -> int:
    """A rent's histogram key: fen, rounded as app.market.direct compares rents."""
    return round(round(rent, 2) * 100)


def yuan(price: float) -> int:
    return round(price)


def contribution(snapshot: Snapshot) -> tuple[str, int] | None:
    """The histogram (measure and key) an available unit of a published building counts in."""
    if not snapshot.on_market or snapshot.status != "available":
        return None
    if snapshot.deal == "rent" and snapshot.rent is not None:
        return RENT, fen(snapshot.rent)
    if snapshot.deal == "sale" and snapshot.price is not None:
        return SALE, yuan(snapshot.price)
    return None


class PlaceMap:
    """Which places a building counts in: its district and the district's city, its town, and
    its park's own place (as app.market.direct.scope reads them)."""

    def __init__(self, session: Session) -> None:
        city = aliased(Place)
        with session.no_autoflush:
            self.city_of = dict(
                session.execute(
                    select(Place.id, Place.parent_id)
                    .join(city, Place.parent_id == city.id)
                    .where(city.kind == PlaceKind.CITY)
                ).all()
            )
            self.park_place = dict(session.execute(select(Park.id, Park.place_id)).all())
        self._cache: dict[tuple, tuple[PlaceGrade, ...]] = {}

    def keys(self, where: tuple) -> tuple[PlaceGrade, ...]:
        """The (place, grade) rows of a building's (grade, district, town, park)."""
        if where not in self._cache:
            grade, district_id, town_id, park_id = where
            places = [district_id, self.city_of.get(district_id), town_id]
            places.append(self.park_place.get(park_id) if park_id is not None else None)
            grades = (ALL_GRADES, grade) if grade else (ALL_GRADES,)
            self._cache[where] = tuple(
                (place, g) for place in dict.fromkeys(places) if place is not None for g in grades
            )
        return self._cache[where]


def _build_place_map() -> PlaceMap:
    return PlaceMap(db.session)


_place_maps = GazetteerCache(_build_place_map)


def place_map(session: Session) -> PlaceMap:
    """The PlaceMap of the app's session, built once per process and gazetteer (a commit that
    changes units would otherwise read every place and park again, inside SQLite's write
    lock); a session of its own gets one of its own."""
    return _place_maps.get() if session is db.session() else PlaceMap(session)


def upsert(
    session: Session,
    model,
    rows: list[dict],
    keys: tuple[str, ...],
    add: tuple[str, ...] = (),
    update: tuple[str, ...] | None = None,
) -> None:
    """Insert rows, or on a key that exists set their columns (`update`'s only, if given;
    added to, for those in `add`)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model)
    columns = [name for name in rows[0] if name not in keys and (update is None or name in update)]
    table = model.__table__
    statement = statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={
            name: (table.c[name] + statement.excluded[name])
            if name in add
            else statement.excluded[name]
            for name in columns
        },
    )
    session.execute(statement, rows)


def apply(
    session: Session,
    before: dict[int, Snapshot | None],
    after: dict[int, Snapshot],
    events: list[dict],
    now: datetime,
) -> None:
    """Add a transaction's change to the histograms and figures of the places it touches."""
    places = place_map(session)
    deltas: dict[tuple, list] = defaultdict(lambda: [0, 0.0])
    for unit_id in before:
        for snapshot, sign in ((before[unit_id], -1), (after.get(unit_id), 1)):
            counted = snapshot and contribution(snapshot)
            if counted:
                for place_grade in places.keys(snapshot.where):
                    delta = deltas[(*place_grade, *counted)]
                    delta[0] += sign
                    delta[1] += sign * snapshot.area
    windowed: dict[PlaceGrade, list[int]] = defaultdict(lambda: [0, 0])
    for event in events:
        snapshot = after.get(event["unit_id"])
        if snapshot is None or event["kind"] not in ("listed", "leased", "sold"):
            continue
        keys = places.keys(snapshot.where)
        for place_grade in keys:
            windowed[place_grade][0 if event["kind"] == "listed" else 1] += event["kind"] != "sold"
        if event["kind"] in ("leased", "sold"):
            days = days_on_market(session, event["unit_id"], now)
            if days is not None:
                for place_grade in keys:
                    deltas[(*place_grade, DOM, days)][0] += 1
    changed = {key: d for key, d in deltas.items() if d[0] or abs(d[1]) > 1e-9}
    rows = [
        {"place_id": p, "grade": g, "measure": m, "key": k, "units": d[0], "area": d[1]}
        for (p, g, m, k), d in sorted(changed.items())
    ]
    upsert(session, MarketBin, rows, ("place_id", "grade", "measure", "key"), ("units", "area"))
    emptied = [key for key, d in changed.items() if d[0] < 0]
    if emptied:
        columns = (MarketBin.place_id, MarketBin.grade, MarketBin.measure, MarketBin.key)
        session.execute(
            delete(MarketBin).where(tuple_(*columns).in_(sorted(emptied)), MarketBin.units <= 0)
        )
    touched: dict[PlaceGrade, set[str]] = defaultdict(set)
    for p, g, m, _k in changed:
        touched[(p, g)].add(m)
    for place_grade in windowed:
        touched[place_grade]
    refigure(session, touched, windowed, now)


def days_on_market(session: Session, unit_id: int, let_at: datetime) -> int | None:
    """Whole days from the unit's last listing before `let_at` to `let_at`."""
    listed = session.scalar(
        select(func.max(UnitEvent.at)).where(
            UnitEvent.unit_id == unit_id, UnitEvent.kind == "listed", UnitEvent.at < let_at
        )
    )
    return None if listed is None else (let_at - listed).days


def quantiles(bins: list[tuple[float, int]], ps: tuple[float, ...]) -> tuple[int, list]:
    """The count and the p-quantiles of a histogram of (value, units), values ascending, as
    app.market.figures.percentile computes them over the values one by one."""
    total = sum(units for _value, units in bins)
    if not total:
        return 0, [None] * len(ps)
    ranks = {p: (int(p * (total - 1)), min(int(p * (total - 1)) + 1, total - 1)) for p in ps}
    wanted = sorted({rank for pair in ranks.values() for rank in pair})
    at: dict[int, float] = {}
    seen, i = 0, 0
    for value, units in bins:
        seen += units
        while i < len(wanted) and wanted[i] < seen:
            at[wanted[i]] = value
            i += 1
    out = []
    for p in ps:
        low, high = ranks[p]
        out.append(at[low] + (at[high] - at[low]) * (p * (total - 1) - low))
    return total, out


def refigure(
    session: Session,
    touched: dict[PlaceGrade, set[str]],
    windowed: dict[PlaceGrade, list[int]] | None = None,
    now: datetime | None = None,
) -> None:
    """Recompute the figures rows of `touched` (place, grade): the measures named from their
    histograms, the windowed counts added to; the rest kept as the row has them."""
    if not touched:
        return
    keys = sorted(touched)
    if session.get_bind().dialect.name == "postgresql":
        _hold(session, keys, now)
    columns = [getattr(MarketFigures, name) for name in ("place_id", "grade", *FIELDS)]
    current = {
        (row.place_id, row.grade): row._asdict()
        for row in session.execute(
            select(*columns).where(tuple_(MarketFigures.place_id, MarketFigures.grade).in_(keys))
        )
    }
    every_bin = _bins(session, touched)
    rows = []
    for place_grade in keys:
        measures = touched[place_grade]
        row = current.get(place_grade)
        values = row if row is not None else _empty(place_grade)
        bins = every_bin.get(place_grade, {})
        if RENT in measures:
            values.update(rent_figures(bins.get(RENT, [])))
        if SALE in measures:
            values.update(sale_figures(bins.get(SALE, [])))
        if DOM in measures:
            values["days_on_market"] = dom_figure(bins.get(DOM, []))
        added = (windowed or {}).get(place_grade)
        if added:
            values["new_30d"] += added[0]
            values["let_30d"] += added[1]
        values["updated_at"] = now
        rows.append(values)
    upsert(session, MarketFigures, rows, ("place_id", "grade"))


def _hold(session: Session, keys: list[PlaceGrade], now: datetime | None) -> None:
    """PostgreSQL: lock the figures rows of `keys` (made, empty, when new) before their
    histograms are read. Two commits that change different buckets of one place write no common
    bucket, so nothing else orders them: without this lock each would read the buckets without
    the other's change, and the later write of the row would lose the earlier's. With it, the
    later waits here until the earlier commits, and then reads its buckets too (READ COMMITTED
    takes a new snapshot per statement). One upsert takes the rows one by one in key order, the
    new ones too: an insert of a missing row before locking the others in order would let two
    commits that both make a row each wait on the other."""
    empty = [{**_empty(key), "updated_at": now or utcnow()} for key in keys]
    upsert(session, MarketFigures, empty, ("place_id", "grade"), update=("updated_at",))


def _empty(place_grade: PlaceGrade) -> dict:
    values = {"place_id": place_grade[0], "grade": place_grade[1]}
    values.update(rent_figures([]), **sale_figures([]), new_30d=0, let_30d=0)
    values["days_on_market"] = None
    return values


def _bins(
    session: Session, touched: dict[PlaceGrade, set[str]]
) -> dict[PlaceGrade, dict[str, list]]:
    """The buckets of the measures touched, of every place and grade touched, in one read."""
    wanted = [(p, g, m) for (p, g), measures in sorted(touched.items()) for m in sorted(measures)]
    found: dict[PlaceGrade, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    if not wanted:
        return found
    rows = session.execute(
        select(
            MarketBin.place_id,
            MarketBin.grade,
            MarketBin.measure,
            MarketBin.key,
            MarketBin.units,
            MarketBin.area,
        )
        .where(tuple_(MarketBin.place_id, MarketBin.grade, MarketBin.measure).in_(wanted))
        .order_by(MarketBin.place_id, MarketBin.grade, MarketBin.measure, MarketBin.key)
    )
    for place_id, grade, measure, key, units, area in rows:
        found[(place_id, grade)][measure].append((key, units, area))
    return found


def rent_figures(bins: list[tuple[int, int, float]]) -> dict:
    total, (p25, p50, p75) = quantiles([(key / 100, units) for key, units, _a in bins], QUARTILES)
    enough = total >= MIN_UNITS
    return {
        "rental_units": total,
        "rental_area": sum(area for _k, _u, area in bins),
        "rent_p25": p25 if enough else None,
        "rent_median": p50 if enough else None,
        "rent_p75": p75 if enough else None,
    }


def sale_figures(bins: list[tuple[int, int, float]]) -> dict:
    total, (median,) = quantiles([(float(key), units) for key, units, _a in bins], (0.5,))
    return {"sale_units": total, "sale_median": median if total >= MIN_UNITS else None}


def dom_figure(bins: list[tuple[int, int, float]]) -> float | None:
    total, (median,) = quantiles([(key, units) for key, units, _a in bins], (0.5,))
    return median if total >= MIN_UNITS else None
