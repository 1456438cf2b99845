"""The market's pages and figures measured: a place page's and /market/'s first render, and how
soon a committed change of a unit shows in its town's figures (the rollup lag)."""

from __future__ import annotations

import random
import statistics
import time

from sqlalchemy import select

from app.extensions import db
from app.market import figures
from app.models import Building, Place, PlaceKind, Unit, UnitStatus
from bench.measure import BenchError, Client, latency, ms, percentile

LAG_TIMEOUT_S = 60.0  # a change not shown by then fails the figure
LAG_POLL_S = 0.002


def place_paths(limit: int, seed: int) -> list[str]:
    """The pages of `limit` districts and towns of the region, drawn at random, each once."""
    slugs = list(
        db.session.scalars(
            select(Place.slug)
            .where(Place.kind.in_([PlaceKind.DISTRICT, PlaceKind.TOWN]), Place.in_region.is_(True))
            .order_by(Place.id)
        )
    )
    db.session.rollback()
    if not slugs:
        raise BenchError("the gazetteer has no district or town of the region")
    chosen = random.Random(seed).sample(slugs, min(limit, len(slugs)))
    return [f"/places/{slug}" for slug in chosen]


def place_pages_first(client: Client, paths: list[str]) -> dict:
    """First renders of distinct place pages (none asked for before, so none is cached), after
    one untimed page that loads the code, the templates and the chart library."""
    client.get(paths[0])
    return latency(client, paths[1:])


def market_page_first(client: Client) -> dict:
    """The first render of /market/, after an untimed one that loads its code: the same table
    with a sort it refuses (400, never cached) or another (200, cached under its own key)."""
    try:
        client.get("/market/?sort=bench-warm-up", expect=400)
    except BenchError:
        client.get("/market/?sort=bench-warm-up")
    return {"ms": ms(client.get("/market/").seconds)}


def rollup_lag(units: int, seed: int) -> dict:
    """From the commit of a unit's change to the first read of its town's figures that shows it:
    `units` available rental units, each let (its town's rental units drop by one) and then put
    back, timed apart, so the market is as generated afterwards."""
    rng = random.Random(seed)
    candidates = db.session.execute(
        select(Unit.id, Building.town_id)
        .join(Building, Unit.building_id == Building.id)
        .where(
            Building.status == "published",
            Unit.status == UnitStatus.AVAILABLE,
            Unit.deal == "rent",
            Unit.rent_per_m2_day.is_not(None),
            Building.town_id.is_not(None),
        )
        .order_by(Unit.id)
        .limit(units * 50)
    ).all()
    db.session.rollback()
    if not candidates:
        raise BenchError("no available rental unit to change")
    lags = []
    for unit_id, town_id in rng.sample(candidates, min(units, len(candidates))):
        lags.append(_lag(unit_id, town_id, UnitStatus.LEASED, -1))
        _lag(unit_id, town_id, UnitStatus.AVAILABLE, +1)
    return {
        "p50_ms": ms(statistics.median(lags)),
        "p95_ms": ms(percentile(lags, 0.95)),
        "max_ms": ms(max(lags)),
        "n": len(lags),
    }


def _lag(unit_id: int, town_id: int, status: str, change: int) -> float:
    before = figures.for_place(town_id).rental_units
    db.session.rollback()
    unit = db.session.get(Unit, unit_id)
    unit.status = status
    start = time.perf_counter()
    db.session.commit()
    while True:
        now = figures.for_place(town_id).rental_units
        db.session.rollback()  # the next read starts a transaction of its own and sees commits
        elapsed = time.perf_counter() - start
        if now == before + change:
            return elapsed
        if elapsed > LAG_TIMEOUT_S:
            raise BenchError(
                f"unit {unit_id} set {status}: town {town_id} still shows {now} rental units "
                f"(expected {before + change}) after {LAG_TIMEOUT_S:.0f} s"
            )
        time.sleep(LAG_POLL_S)
