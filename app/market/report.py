"""The monthly rent report (写字楼租金月报): a month's figures for the city, each district and the
towns whose rents rose or fell the most, written as an article's title, summary and body.

The figures of a month are the last point of its trend (figures.trend with `until`): the median
asking rent at the month's end and the units it was taken over, against the month before (环比)
and the same month a year before (同比). Each place is linked to its page; the charts are images
of the trend ending at the month (the market blueprint's trend_image: the article sanitizer
keeps images of this site, never inline SVG), each beside a table of its numbers. Saving the
article is the news center's (app.news.reports); this module reads figures only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import escape

from sqlalchemy import select

from app.extensions import db
from app.market import figures
from app.market.compare import place_page_url, trend_image_url
from app.market.figures import MIN_UNITS, MonthPoint
from app.models import Place, PlaceKind
from app.models.base import utcnow

CATEGORY = "楼市"
TOP_TOWNS = 5  # the rises and the falls each list at most this many towns
TABLE_MONTHS = 12  # the city's table: the last this many months
MONTH = re.compile(r"(\d{4})-(\d{2})")


class ReportError(ValueError):
    """A report that cannot be written, with the reason in Chinese."""


@dataclass(frozen=True)
class PlaceMonth:
    """A place's rent at a month's end, against the month before and the year before."""

    name: str
    url: str
    chart: str  # the address of its trend ending at the month, as an image
    points: list[MonthPoint]  # the trend ending at the month

    @property
    def median(self) -> float | None:
        return self.points[-1].rent_median

    @property
    def units(self) -> int:
        return self.points[-1].rental_units

    @property
    def month_on_month(self) -> float | None:
        before = self.points[-2].rent_median if len(self.points) > 1 else None
        return _ratio(self.median, before)

    @property
    def year_on_year(self) -> float | None:
        return figures.change_12m(self.points)


@dataclass(frozen=True)
class MonthlyReport:
    """What the report article says, ready to be saved as a draft."""

    month: date  # its first day
    key: str  # the article's import key: one report per month, found again by it
    title: str
    summary: str
    body: str  # HTML: headings, paragraphs, links and tables only
    keywords: list[str]


def parse_month(text: str, today: date | None = None) -> date:
    """The first day of the month written YYYY-MM; a ReportError for anything else or for a
    month that has not begun."""
    found = MONTH.fullmatch(text.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise ReportError(f"月份格式应为 YYYY-MM，例如 2026-11，而不是“{text}”。")
    month = date(int(found.group(1)), int(found.group(2)), 1)
    today = today or utcnow().date()
    if month > date(today.year, today.month, 1):
        raise ReportError(f"{label(month)}还没有到，不能生成月报。")
    return month


def label(month: date) -> str:
    return f"{month.year}年{month.month}月"


def key_of(month: date) -> str:
    return f"market-report:{month:%Y-%m}"


def build(month: date) -> MonthlyReport:
    """The report of a month; a ReportError when the city had no rental unit at its end (no
    history reaches back that far)."""
    city = db.session.scalar(
        select(Place).where(Place.kind == PlaceKind.CITY, Place.in_region.is_(True))
    )
    if city is None:
        raise ReportError("地名库中没有本市，请先运行 flask --app wsgi places load。")
    whole = _place_month(city, month)
    if whole.units == 0:
        raise ReportError(f"{label(month)}没有租金历史记录（当月没有在租房源），未生成月报。")
    districts = _in_region(select(Place).where(Place.parent_id == city.id), PlaceKind.DISTRICT)
    towns = _in_region(
        select(Place).where(Place.parent_id.in_([d.id for d in districts])), PlaceKind.TOWN
    )
    district_months = [_place_month(place, month) for place in districts]
    town_months = [_place_month(place, month) for place in towns]
    changed = [t for t in town_months if t.year_on_year is not None]
    rises = sorted((t for t in changed if t.year_on_year > 0), key=lambda t: -t.year_on_year)
    falls = sorted((t for t in changed if t.year_on_year < 0), key=lambda t: t.year_on_year)
    title = f"{label(month)}绍兴写字楼租金月报"
    return MonthlyReport(
        month=month,
        key=key_of(month),
        title=title,
        summary=_lead(month, whole),
        body="".join(
            [
                _city_section(month, whole),
                _districts_section(district_months, month),
                _towns_section("涨幅", "上涨", rises[:TOP_TOWNS]),
                _towns_section("跌幅", "下跌", falls[:TOP_TOWNS]),
                f"<p>说明：租金为月末在租写字楼房源挂牌租金的中位数（元/㎡/天）；"
                f"在租房源少于 {MIN_UNITS} 套的地点不计中位数，记为“暂无”。"
                f"环比与上月末相比，同比与上年同月末相比。</p>",
            ]
        ),
        keywords=["租金月报", "写字楼租金", label(month)],
    )


def _in_region(query, kind: str) -> list[Place]:
    rows = db.session.scalars(query.where(Place.kind == kind, Place.in_region.is_(True)))
    return sorted(rows, key=lambda p: (p.code or "", p.name))


def _place_month(place: Place, month: date) -> PlaceMonth:
    return PlaceMonth(
        place.name,
        place_page_url(place.slug),
        trend_image_url(place.slug, month),
        figures.trend(place.id, until=month),
    )


def _ratio(now: float | None, before: float | None) -> float | None:
    if now is None or before is None or before == 0:
        return None
    return now / before - 1


def change_text(change: float | None) -> str:
    """↑3.2%, ↓1.5%, 持平, or 暂无 (too few units at either end)."""
    if change is None:
        return "暂无"
    percent = round(change * 100, 1)
    if percent == 0:
        return "持平"
    return f"{'↑' if percent > 0 else '↓'}{abs(percent):.1f}%"


def _rent(value: float | None) -> str:
    return "暂无" if value is None else f"{value:.2f}"


def _lead(month: date, city: PlaceMonth) -> str:
    if city.median is None:
        return f"{label(month)}，绍兴市在租写字楼房源 {city.units} 套，不足以计算租金中位数。"
    return (
        f"{label(month)}，绍兴市写字楼挂牌租金中位数为 {city.median:.2f} 元/㎡/天，"
        f"环比{change_text(city.month_on_month)}，同比{change_text(city.year_on_year)}；"
        f"月末在租房源 {city.units} 套。"
    )


def _link(place: PlaceMonth) -> str:
    return f'<a href="{escape(place.url)}">{escape(place.name)}</a>'


def _table(head: list[str], rows: list[list[str]]) -> str:
    cells = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def _city_section(month: date, city: PlaceMonth) -> str:
    rows = [
        [f"{p.month.year}年{p.month.month}月", _rent(p.rent_median), str(p.rental_units)]
        for p in city.points[-TABLE_MONTHS:]
    ]
    return (
        f"<h2>全市</h2><p>{escape(_lead(month, city))}</p>"
        + _figure(city, month)
        + f"<p>{_link(city)}近{TABLE_MONTHS}个月的挂牌租金中位数：</p>"
        + _table(["月份", "租金中位数（元/㎡/天）", "在租房源（套）"], rows)
    )


def _figure(place: PlaceMonth, month: date) -> str:
    words = f"{place.name}近{len(place.points)}个月写字楼租金中位数走势（截至{label(month)}）"
    return (
        f'<figure><img src="{escape(place.chart)}" alt="{escape(words)}">'
        f"<figcaption>{escape(words)}，单位：元/㎡/天</figcaption></figure>"
    )


def _place_rows(places: list[PlaceMonth]) -> list[list[str]]:
    return [
        [
            _link(p),
            _rent(p.median),
            change_text(p.month_on_month),
            change_text(p.year_on_year),
            str(p.units),
        ]
        for p in places
    ]


HEAD = ["地点", "租金中位数（元/㎡/天）", "环比", "同比", "在租房源（套）"]


def _districts_section(districts: list[PlaceMonth], month: date) -> str:
    charts = "".join(_figure(d, month) for d in districts if d.median is not None)
    return "<h2>各区县</h2>" + _table(HEAD, _place_rows(districts)) + charts


def _towns_section(most: str, moved: str, towns: list[PlaceMonth]) -> str:
    heading = f"<h2>近12个月租金{most}最大的镇街</h2>"
    if not towns:
        return f"{heading}<p>近12个月没有租金{moved}的镇街。</p>"
    return heading + _table(HEAD, _place_rows(towns))
