"""Invented rent history, the same for the same seed: 24 months of listings, rent changes,
lettings and relistings that end in each unit's state today. The demo writes it for its units;
the bench (bench/synth.py) for a million.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from app.models import Building, Unit, UnitEvent

HISTORY_DAYS = 730  # 24 months
EVENT_COLUMNS = (
    "unit_id",
    "building_id",
    "at",
    "kind",
    "status",
    "deal",
    "area_m2",
    "rent_per_m2_day",
    "price_per_m2",
)


@dataclass(frozen=True)
class SynthUnit:
    """A unit as it is today, and where its rent drifts from (a town and grade, say)."""

    unit_id: int
    building_id: int
    deal: str
    area_m2: float
    rent: float | None
    price: float | None
    status: str
    on_market: bool  # its building is published
    drift_key: str


def drift(seed: int, key: str) -> float:
    """The yearly drift of rents where `key` says: between -6% and +9%, the same for a key."""
    return random.Random(f"{seed}:drift:{key}").uniform(-0.06, 0.09)


def history_rows(units: Iterable[SynthUnit], seed: int, now: datetime) -> Iterator[tuple]:
    """The events of each unit, as tuples in EVENT_COLUMNS' order, oldest first per unit."""
    drifts: dict[str, float] = {}
    for unit in units:
        if unit.drift_key not in drifts:
            drifts[unit.drift_key] = drift(seed, unit.drift_key)
        yield from _unit_history(
            unit, drifts[unit.drift_key], random.Random(seed * 7919 + unit.unit_id), now
        )


def _unit_history(unit: SynthUnit, yearly: float, rng: random.Random, now: datetime):
    def value_at(at: datetime, noise: bool = True) -> tuple[float | None, float | None]:
        years = (now - at).days / 365
        factor = (1 + yearly) ** -years * (rng.uniform(0.97, 1.03) if noise else 1)
        rent = round(unit.rent * factor, 2) if unit.rent is not None else None
        price = round(unit.price * factor, -1) if unit.price is not None else None
        return rent, price

    def row(at, kind, status, rent, price):
        return (
            unit.unit_id,
            unit.building_id,
            at,
            kind,
            status,
            unit.deal,
            unit.area_m2,
            rent,
            price,
        )

    # Most units were on the market before the 24 months began; the rest came since.
    first = (
        rng.randint(20, HISTORY_DAYS) if rng.random() < 0.35 else HISTORY_DAYS + rng.randint(0, 60)
    )
    at = now - timedelta(days=first, hours=rng.randint(0, 23))
    horizon = now - timedelta(days=rng.randint(5, 150))
    status = "available"
    rent, price = value_at(at)
    yield row(at, "listed", status, rent, price)
    last = at
    while True:
        at += timedelta(days=rng.randint(25, 210), hours=rng.randint(0, 23))
        if at > horizon:
            break
        last = at
        if status != "available":
            status = "available"
            rent, price = value_at(at)
            yield row(at, "listed", status, rent, price)
        elif rng.random() < 0.4:
            status = "leased" if unit.deal == "rent" else "sold"
            yield row(at, status, status, rent, price)
        else:
            rent, price = value_at(at)
            yield row(at, "rent" if unit.deal == "rent" else "price", status, rent, price)
    # The last event brings the unit to what it is today, some time after the one before.
    at = last + (now - last) * rng.uniform(0.2, 0.95)
    if not unit.on_market:
        if status == "available":
            yield row(at, "withdrawn", "withdrawn", rent, price)
    elif unit.status == "available":
        if status != "available":
            yield row(at, "listed", "available", unit.rent, unit.price)
        elif (rent, price) != (unit.rent, unit.price):
            yield row(
                at, "rent" if unit.deal == "rent" else "price", "available", unit.rent, unit.price
            )
    elif unit.status != status:
        yield row(at, unit.status, unit.status, unit.rent, unit.price)


def write_demo_history(session, seed: int, now: datetime) -> int:
    """Write the history of the units that have none yet (the demo's, on its first load)."""
    known = select(UnitEvent.unit_id).distinct()
    units = [
        SynthUnit(uid, bid, deal, area, rent, price, status, published, f"{town}:{grade}")
        for uid, bid, deal, area, rent, price, status, published, town, grade in session.execute(
            select(
                Unit.id,
                Unit.building_id,
                Unit.deal,
                Unit.area_m2,
                Unit.rent_per_m2_day,
                Unit.price_per_m2,
                Unit.status,
                Building.status == "published",
                Building.town_id,
                Building.grade,
            )
            .join(Building, Unit.building_id == Building.id)
            .where(Unit.id.not_in(known))
            .order_by(Unit.id)
        )
    ]
    rows = [
        dict(zip(EVENT_COLUMNS, event, strict=True)) for event in history_rows(units, seed, now)
    ]
    if rows:
        session.execute(insert(UnitEvent), rows)
    return len(rows)
