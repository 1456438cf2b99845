"""The market's figures computed directly from the units and their history, with no rollup.

Slow on a large market (it reads every unit of a place): the tests hold the rollups to it, and
nothing that serves a page calls it. Rents are compared at the fen (0.01 元) and sale prices at
the yuan, as the pages show them.
"""

from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta

from sqlalchemy import and_, select

from app.extensions import db
from app.market.figures import (
    DAYS_ON_MARKET_WINDOW,
    MIN_UNITS,
    WINDOW_DAYS,
    Figures,
    MonthPoint,
    month_starts,
    percentile,
)
from app.models import Building, Park, Place, PlaceKind, Unit, UnitEvent
from app.models.base import utcnow


def scope(place_id: int, grade: str | None = None):
    """The condition on Building that holds for the published and unpublished buildings of a
    place (and of a grade)."""
    place = db.session.get(Place, place_id)
    if place is None:
        raise LookupError(place_id)
    if place.kind == PlaceKind.CITY:
        districts = select(Place.id).where(Place.parent_id == place.id)
        condition = Building.district_id.in_(districts)
    elif place.kind == PlaceKind.DISTRICT:
        condition = Building.district_id == place.id
    elif place.kind == PlaceKind.TOWN:
        condition = Building.town_id == place.id
    elif place.kind == PlaceKind.PARK:
        condition = Building.park_id.in_(select(Park.id).where(Park.place_id == place.id))
    else:
        raise LookupError(place_id)
    return and_(condition, Building.grade == grade) if grade else condition


def rent_key(rent: float) -> float:
    return round(rent, 2)


def price_key(price: float) -> float:
    return float(round(price))


def figures(place_id: int, grade: str | None = None, now: datetime | None = None) -> Figures:
    now = now or utcnow()
    where = scope(place_id, grade)
    units = db.session.execute(
        select(Unit.deal, Unit.rent_per_m2_day, Unit.price_per_m2, Unit.area_m2)
        .join(Building, Unit.building_id == Building.id)
        .where(where, Building.status == "published", Unit.status == "available")
    ).all()
    rental = [(rent_key(r), a) for deal, r, _p, a in units if deal == "rent" and r is not None]
    sale = sorted(price_key(p) for deal, _r, p, _a in units if deal == "sale" and p is not None)
    rents = sorted(r for r, _a in rental)
    enough = len(rents) >= MIN_UNITS

    events = db.session.execute(
        select(UnitEvent.kind, UnitEvent.unit_id, UnitEvent.at)
        .join(Building, UnitEvent.building_id == Building.id)
        .where(
            where, UnitEvent.at >= now - timedelta(days=DAYS_ON_MARKET_WINDOW), UnitEvent.at <= now
        )
    ).all()
    recent = now - timedelta(days=WINDOW_DAYS)
    new = sum(1 for kind, _u, at in events if kind == "listed" and at >= recent)
    let = sum(1 for kind, _u, at in events if kind == "leased" and at >= recent)
    days = [
        d
        for d in (_days_on_market(u, at) for k, u, at in events if k in ("leased", "sold"))
        if d is not None
    ]

    return Figures(
        place_id=place_id,
        grade=grade,
        rental_units=len(rental),
        rental_area=sum(a for _r, a in rental),
        rent_p25=percentile(rents, 0.25) if enough else None,
        rent_median=percentile(rents, 0.5) if enough else None,
        rent_p75=percentile(rents, 0.75) if enough else None,
        sale_units=len(sale),
        sale_median=percentile(sale, 0.5) if len(sale) >= MIN_UNITS else None,
        new_30d=new,
        let_30d=let,
        days_on_market=statistics.median(days) if len(days) >= MIN_UNITS else None,
    )


def _days_on_market(unit_id: int, let_at: datetime) -> int | None:
    """Whole days from the unit's last listing before `let_at` to `let_at`."""
    listed = db.session.scalar(
        select(UnitEvent.at)
        .where(UnitEvent.unit_id == unit_id, UnitEvent.kind == "listed", UnitEvent.at < let_at)
        .order_by(UnitEvent.at.desc())
        .limit(1)
    )
    return None if listed is None else (let_at - listed).days


def trend(place_id: int, grade: str | None = None, now: datetime | None = None) -> list[MonthPoint]:
    """Past months from the history (each unit's state at the month's end: its last event before
    it), the current month from the units now."""
    now = now or utcnow()
    starts = month_starts(now.date())
    events = db.session.execute(
        select(
            UnitEvent.unit_id,
            UnitEvent.at,
            UnitEvent.status,
            UnitEvent.deal,
            UnitEvent.rent_per_m2_day,
        )
        .join(Building, UnitEvent.building_id == Building.id)
        .where(
            scope(place_id, grade), UnitEvent.at < datetime.combine(starts[-1], datetime.min.time())
        )
        .order_by(UnitEvent.at, UnitEvent.id)
    ).all()
    points = []
    for start, end in zip(starts[:-1], starts[1:], strict=True):
        state: dict[int, tuple] = {}
        cutoff = datetime.combine(end, datetime.min.time())
        for unit_id, at, status, deal, rent in events:
            if at >= cutoff:
                break
            state[unit_id] = (status, deal, rent)
        rents = sorted(
            rent_key(rent)
            for status, deal, rent in state.values()
            if status == "available" and deal == "rent" and rent is not None
        )
        points.append(_point(start, rents))
    current = figures(place_id, grade, now)
    points.append(MonthPoint(starts[-1], current.rent_median, current.rental_units))
    return points


def _point(month: date, rents: list[float]) -> MonthPoint:
    median = percentile(rents, 0.5) if len(rents) >= MIN_UNITS else None
    return MonthPoint(month, median, len(rents))
