"""A building's asking rent against its town's and its park's median (高于/低于均价), and the
address of a place's page, which every page that links a place to its figures builds here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import has_request_context, request
from sqlalchemy import select

from app.extensions import db
from app.market import figures
from app.market.figures import percentile
from app.models import Building, Unit

SAME_WITHIN = 0.01  # a difference smaller than this (1%) reads 持平


def place_page_url(slug: str, park_slug: str | None = None) -> str:
    """The address of a place's page, /places/<slug> (the market blueprint's place page), or of
    a park's page. The one function to change when the place page's endpoint moves.

    Written out rather than built by url_for: the monthly report links places from a command,
    with no request to build an address from, and the article keeps its links as paths."""
    root = request.script_root if has_request_context() else ""
    if park_slug:
        return f"{root}/parks/{park_slug}"
    return f"{root}/places/{slug}"


def trend_image_url(slug: str, month: date) -> str:
    """The address of a place's rent trend ending at `month`, as an SVG image (the market
    blueprint's trend_image): the monthly report's charts. Written out for the same reason."""
    root = request.script_root if has_request_context() else ""
    return f"{root}/places/{slug}/trend-{month:%Y-%m}.svg"


@dataclass(frozen=True)
class Comparison:
    """The building's asking rent against one place's median."""

    scope: str  # 镇街 or 园区
    place_name: str
    url: str
    place_median: float  # 元/㎡/天
    difference: float  # the building's over the place's, less one (0.12: 12% higher)

    @property
    def text(self) -> str:
        """高于镇街均价 12%, 低于园区均价 5%, or 与镇街均价持平 (within SAME_WITHIN)."""
        if abs(self.difference) < SAME_WITHIN:
            return f"与{self.scope}均价持平"
        word = "高于" if self.difference > 0 else "低于"
        return f"{word}{self.scope}均价 {round(abs(self.difference) * 100)}%"


@dataclass(frozen=True)
class RentComparison:
    """What a building page says about its rent: its asking rent, and how it compares."""

    asking_rent: float  # the median of its available rental units, 元/㎡/天
    rental_units: int
    against: list[Comparison]


def asking_rents(building_id: int) -> list[float]:
    """The asking rents of a building's available rental units, at the fen, in order."""
    rents = db.session.scalars(
        select(Unit.rent_per_m2_day).where(
            Unit.building_id == building_id,
            Unit.status == "available",
            Unit.deal == "rent",
            Unit.rent_per_m2_day.is_not(None),
        )
    )
    return sorted(round(rent, 2) for rent in rents)


def compare(building: Building) -> RentComparison | None:
    """The building's asking rent against its town's and its park's median, where the place has
    units enough for a median; None when the building has no unit to let."""
    rents = asking_rents(building.id)
    if not rents:
        return None
    asking = percentile(rents, 0.5)
    places = []
    if building.town is not None:
        places.append(("镇街", building.town, place_page_url(building.town.slug)))
    if building.park is not None and building.park.place is not None:
        park = building.park
        places.append(("园区", park.place, place_page_url(park.place.slug, park.slug)))
    now = figures.for_places([place.id for _scope, place, _url in places])
    against = [
        Comparison(scope, place.name, url, now[place.id].rent_median, asking / median - 1)
        for scope, place, url in places
        if now[place.id].enough and (median := now[place.id].rent_median)
    ]
    return RentComparison(asking, len(rents), against)
