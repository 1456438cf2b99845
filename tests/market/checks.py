"""Helpers of the market's tests: the rollups held to the figures computed directly."""

from __future__ import annotations

import math

from sqlalchemy import select

from app.extensions import db
from app.market import direct, figures
from app.models import Building, Park, Place, PlaceKind, UnitEvent
from app.models.listings import GRADES
from app.models.market import MarketFigures

MARKET_KINDS = (PlaceKind.CITY, PlaceKind.DISTRICT, PlaceKind.TOWN, PlaceKind.PARK)


def market_places() -> list[int]:
    """Every place a figure can be asked of that has, or had, a building or a rollup row."""
    rows = db.session.execute(
        select(Building.district_id, Building.town_id, Park.place_id).outerjoin(
            Park, Building.park_id == Park.id
        )
    ).all()
    ids = {i for row in rows for i in row if i is not None}
    ids |= set(db.session.scalars(select(MarketFigures.place_id)))
    ids |= set(db.session.scalars(select(Place.id).where(Place.kind == PlaceKind.CITY)))
    kinds = select(Place.id).where(Place.id.in_(ids), Place.kind.in_(MARKET_KINDS))
    return sorted(db.session.scalars(kinds))


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def differences(trends: bool = True) -> list[str]:
    """Every figure (and trend point) of every place and grade where the rollups and the direct
    computation disagree."""
    found = []
    for place_id in market_places():
        for grade in (None, *GRADES):
            rolled, computed = figures.for_place(place_id, grade), direct.figures(place_id, grade)
            for name in FIELDS:
                if not _same(getattr(rolled, name), getattr(computed, name)):
                    found.append(
                        f"{place_id} {grade} {name}: {getattr(rolled, name)} != "
                        f"{getattr(computed, name)}"
                    )
            if trends:
                for a, b in zip(
                    figures.trend(place_id, grade), direct.trend(place_id, grade), strict=True
                ):
                    if a.rental_units != b.rental_units or not _same(a.rent_median, b.rent_median):
                        found.append(f"{place_id} {grade} {a.month}: {a} != {b}")
    return found


FIELDS = [name for name in figures.Figures.__dataclass_fields__ if name != "grade"]


def events_of(unit_id: int) -> list[tuple]:
    """A unit's history: (kind, status, rent, price), oldest first."""
    return [
        tuple(row)
        for row in db.session.execute(
            select(
                UnitEvent.kind, UnitEvent.status, UnitEvent.rent_per_m2_day, UnitEvent.price_per_m2
            )
            .where(UnitEvent.unit_id == unit_id)
            .order_by(UnitEvent.at, UnitEvent.id)
        )
    ]
