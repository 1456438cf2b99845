"""What the market's pages read: a place's figures now, by grade, and month by month.

Every page that shows a figure asks here. The figures come from the rollups (kept current at
commit time by app.market.rollups), never from the units themselves on a page view; the same
figures computed directly from the units and their history (app.market.direct) are what the
tests hold the rollups to.

Reading a place's figures is one indexed row (market_figures), its grades three, its trend the
closed months' rows (market_month) and the figures now: docs/market.md.

A place is a Place row: the city (绍兴市), a district, a town, or a park's own place. Its units
are the units of published buildings in it: the city's are those of its districts' buildings, a
park's those of the buildings that belong to the park (Building.park_id).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models.base import utcnow
from app.models.listings import GRADES
from app.models.market import ALL_GRADES, MarketFigures, MarketMonth

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


# The figures themselves, in their order: the rollup's columns, the API's and the CSV's fields.
FIELDS = tuple(f.name for f in fields(Figures) if f.name not in ("place_id", "grade"))


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
    """The figures of several places at once (a table, an article's places): one indexed read."""
    rows = _rows(
        MarketFigures.place_id.in_(place_ids), MarketFigures.grade == (grade or ALL_GRADES)
    )
    return {
        place_id: rows.get((place_id, grade or ALL_GRADES)) or _none(place_id, grade)
        for place_id in place_ids
    }


def by_grade(place_id: int) -> dict[str, Figures]:
    """A place's figures for each grade (甲级, 乙级, 丙级), in that order."""
    rows = _rows(MarketFigures.place_id == place_id, MarketFigures.grade.in_(GRADES))
    return {grade: rows.get((place_id, grade)) or _none(place_id, grade) for grade in GRADES}


def trend(place_id: int, grade: str | None = None, until: date | None = None) -> list[MonthPoint]:
    """The median asking rent month by month, MONTHS of them, oldest first, ending with this
    month (from the figures now) or with the month of `until` (a closed month)."""
    today = utcnow().date()
    this_month = date(today.year, today.month, 1)
    end = date(until.year, until.month, 1) if until else this_month
    starts = month_starts(end)
    closed = {
        row.month: row
        for row in db.session.execute(
            select(MarketMonth.month, MarketMonth.rent_median, MarketMonth.rental_units).where(
                MarketMonth.place_id == place_id,
                MarketMonth.grade == (grade or ALL_GRADES),
                MarketMonth.month >= starts[0],
                MarketMonth.month <= end,
            )
        )
    }
    points = []
    for month in starts:
        if month >= this_month:
            now = for_place(place_id, grade)
            points.append(MonthPoint(month, now.rent_median, now.rental_units))
        elif month in closed:
            points.append(MonthPoint(month, closed[month].rent_median, closed[month].rental_units))
        else:
            points.append(MonthPoint(month, None, 0))
    return points


def _rows(*conditions) -> dict[tuple[int, str], Figures]:
    found = {}
    # Columns, not entities: the rows are written by statements the identity map never sees.
    for row in db.session.execute(select(*MarketFigures.__table__.c).where(*conditions)):
        found[(row.place_id, row.grade)] = Figures(
            place_id=row.place_id,
            grade=row.grade if row.grade != ALL_GRADES else None,
            rental_units=row.rental_units,
            rental_area=row.rental_area,
            rent_p25=row.rent_p25,
            rent_median=row.rent_median,
            rent_p75=row.rent_p75,
            sale_units=row.sale_units,
            sale_median=row.sale_median,
            new_30d=row.new_30d,
            let_30d=row.let_30d,
            days_on_market=row.days_on_market,
        )
    return found


def _none(place_id: int, grade: str | None) -> Figures:
    """A place with no unit on the market: no row."""
    return Figures(place_id, grade, 0, 0.0, None, None, None, 0, None, 0, 0, None)


def change_12m(points: list[MonthPoint]) -> float | None:
    """The change of the median rent over 12 months as a fraction (0.05: up 5%), from a trend;
    None when either end has too few units."""
    if len(points) < 13:
        return None
    now, before = points[-1].rent_median, points[-13].rent_median
    if now is None or before is None or before == 0:
        return None
    return now / before - 1
