"""What the market's pages read: a place's figures now, by grade, and month by month.

Every page that shows a figure asks here. The figures come from the rollups (kept current at
commit time by app.market.rollups), never from the units themselves on a page view; the same
figures computed directly from the units and their history (app.market.direct) are what the
tests hold the rollups to.

A place is a Place row: the city (绍兴市), a district, a town, or a park's own place. Its units
are the units of published buildings in it: the city's are those of its districts' buildings, a
park's those of the buildings that belong to the park (Building.park_id).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MIN_UNITS = 5  # fewer units than this: the page says so instead of showing a median of two
MONTHS = 24  # the trend's length, the current month included
WINDOW_DAYS = 30  # 新增房源 and 成交 count the last WINDOW_DAYS days
DAYS_ON_MARKET_WINDOW = 365  # 平均去化天数 is over the units let or sold within this many days


@dataclass(frozen=True)
class Figures:
    """A place's market now, over all grades (grade None) or one."""

    place_id: int
    grade: str | None
    rental_units: int  # available units for rent with an asking rent
    rental_area: float  # their area, ㎡
    rent_p25: float | None  # asking rent quartiles, 元/㎡/天; None below MIN_UNITS
    rent_median: float | None
    rent_p75: float | None
    sale_units: int  # available units for sale with a price
    sale_median: float | None  # 元/㎡; None below MIN_UNITS sale units
    new_30d: int  # units that came on the market in the last WINDOW_DAYS days
    let_30d: int  # units let in the last WINDOW_DAYS days
    days_on_market: float | None  # median days from listed to let or sold; None below MIN_UNITS

    @property
    def enough(self) -> bool:
        """Whether there are units enough for the rent figures to mean something."""
        return self.rental_units >= MIN_UNITS


@dataclass(frozen=True)
class MonthPoint:
    """The median asking rent of a month's end (the current month: now)."""

    month: date  # its first day
    rent_median: float | None  # None below MIN_UNITS
    rental_units: int


def percentile(sorted_values: list[float], p: float) -> float:
    """The p-th quantile (0..1) with linear interpolation between ranks, as PostgreSQL's
    percentile_cont and Python's statistics.quantiles(method="inclusive") compute it."""
    position = p * (len(sorted_values) - 1)
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    """The first days of the last `months` months, oldest first, this month last."""
    starts = []
    year, month = today.year, today.month
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def for_place(place_id: int, grade: str | None = None) -> Figures:
    return for_places([place_id], grade)[place_id]


def for_places(place_ids: list[int], grade: str | None = None) -> dict[int, Figures]:
    """The figures of several places at once (a table, an article's places)."""
    from app.market import direct

    return {place_id: direct.figures(place_id, grade) for place_id in place_ids}


def by_grade(place_id: int) -> dict[str, Figures]:
    """A place's figures for each grade (甲级, 乙级, 丙级), in that order."""
    from app.models.listings import GRADES

    return {grade: for_place(place_id, grade) for grade in GRADES}


def trend(place_id: int, grade: str | None = None) -> list[MonthPoint]:
    """The median asking rent month by month, MONTHS of them, oldest first, this month last."""
    from app.market import direct

    return direct.trend(place_id, grade)


def change_12m(points: list[MonthPoint]) -> float | None:
    """The change of the median rent over 12 months as a fraction (0.05: up 5%), from a trend;
    None when either end has too few units."""
    if len(points) < 13:
        return None
    now, before = points[-1].rent_median, points[-13].rent_median
    if now is None or before is None or before == 0:
        return None
    return now / before - 1
