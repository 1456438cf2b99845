"""文中地点行情: the market now of each place an article mentions, from app.market.figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.market import figures
from app.market.compare import place_page_url
from app.models import Place, PlaceKind
from app.news import linker

# The places that have figures: the city, its districts and towns, and the parks.
MARKET_KINDS = (PlaceKind.CITY, PlaceKind.DISTRICT, PlaceKind.TOWN, PlaceKind.PARK)


@dataclass(frozen=True)
class PlaceMarket:
    """A place's median asking rent and its change over 12 months, as an article shows them."""

    place_id: int
    name: str
    url: str
    rent_median: float | None  # 元/㎡/天; None: too few units
    change: float | None  # over 12 months, a fraction (0.032: up 3.2%); None: too few units

    @property
    def change_text(self) -> str:
        """↑3.2%, ↓1.5%, 持平 (no change at one decimal), or 暂无."""
        if self.change is None:
            return "暂无"
        percent = round(self.change * 100, 1)
        if percent == 0:
            return "持平"
        return f"{'↑' if percent > 0 else '↓'}{abs(percent):.1f}%"

    @property
    def change_words(self) -> str:
        """The same change in words, for a screen reader that would read the arrow as a sign."""
        text = self.change_text
        if text[0] == "↑":
            return f"上涨 {text[1:]}"
        if text[0] == "↓":
            return f"下降 {text[1:]}"
        return text


def places_with_figures(places: Iterable[Place]) -> list[Place]:
    """The places of the region among `places` that have figures, in the order given."""
    places = list(places)
    refs = linker.refs(p.id for p in places)
    return [p for p in places if p.kind in MARKET_KINDS and p.id in refs and refs[p.id].in_region]


def of_places(places: list[Place]) -> list[PlaceMarket]:
    """The market of each place, its figures read for all of them at once; the trend only of
    those with units enough for a median (the others say 暂无 anyway)."""
    ours = places_with_figures(places)
    now = figures.for_places([p.id for p in ours])
    found = []
    for place in ours:
        current = now[place.id]
        change = figures.change_12m(figures.trend(place.id)) if current.enough else None
        found.append(
            PlaceMarket(
                place_id=place.id,
                name=place.name,
                url=place_page_url(place.slug, place.park_slug),
                rent_median=current.rent_median,
                change=change,
            )
        )
    return found
