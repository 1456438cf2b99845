"""The market's charts, drawn as SVG on the server by pygal: a place's asking rent month by month
and its rent by grade, each with the same numbers as rows for the table beside it.

A page shows a chart as an image of its own address (`market.chart_image`), which carries a
version of the numbers it shows: the page's first render reads the figures and writes the table
beside the chart, but never draws (a pair costs 15-20 ms, most of a place page's budget); the
browser asks for the images beside the page's other files, and keeps them, since a version's
drawing never changes. The SVG carries no script: pygal writes one (its tooltips' config) even
with `js=[]`, so it is taken out of the tree (an image runs none anyway). Months and grades with
too few units are None, which pygal draws as a gap (a line interrupted, a missing bar), never as
zero.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from flask import url_for
from markupsafe import Markup

from app import pagecache
from app.market import figures
from app.market.figures import MIN_UNITS, Figures, MonthPoint

# The CJK faces a reader's system is likely to have, then any sans-serif; the server installs
# WenQuanYi for the screenshots.
FONT_FAMILY = (
    "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', "
    "'Microsoft YaHei', sans-serif"
)
RENT_AXIS = "租金（元/㎡/天）"
MONTH_AXIS = "月份"
GRADE_AXIS = "等级"
# Drawn at this size and scaled to its column (market.css caps it at 520 px): on a phone 390 px
# wide a 14 px label is still 11 px.
WIDTH, HEIGHT = 440, 300
LABEL_EVERY = 6  # months between the labels of the trend's x axis
TOO_FEW = f"房源不足 {MIN_UNITS} 套"
TREND_COLUMNS = ("月份", "租金中位数（元/㎡/天）", "在租房源（套）")
GRADE_COLUMNS = ("等级", "下四分位", "中位数", "上四分位", "在租房源（套）")


@cache
def _pygal():
    """pygal, imported when the first chart is drawn.

    On import it puts a finder for its map plugins on sys.meta_path that has only the legacy
    find_module: every import that fails after it (an optional dependency probed, as flask_wtf
    probes babel) then raises ImportWarning, an error under the tests' warnings policy. The
    charts use no map plugin, so the finder is taken off at once, before anything else imports.
    """
    import pygal
    import pygal.style

    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, pygal.PluginImportFixer)]
    return pygal


@cache
def _style():
    pygal = _pygal()
    return pygal.style.Style(
        font_family=FONT_FAMILY,
        background="transparent",
        plot_background="transparent",
        foreground="#333",
        foreground_strong="#212529",
        foreground_subtle="#dee2e6",
        colors=("#0d6efd", "#198754", "#fd7e14"),
        label_font_size=14,
        major_label_font_size=14,
        title_font_size=15,
        value_font_size=14,
        value_colors=("#fff",),
        legend_font_size=14,
        no_data_font_size=18,
    )


@dataclass(frozen=True)
class Chart:
    """A chart and its numbers: the SVG (None when the page shows it as an image of `url`),
    the table a screen reader or a copy reads, and the size it is drawn at."""

    title: str
    svg: Markup | None
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    height: int = HEIGHT
    width: int = WIDTH
    url: str | None = None


def rent_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def month_label(month: date) -> str:
    return f"{month.year}-{month.month:02d}"


def _config(**options) -> dict:
    return {
        "style": _style(),
        "width": WIDTH,
        "height": HEIGHT,
        "explicit_size": False,  # a viewBox only: the chart takes its column's width
        "js": [],
        "disable_xml_declaration": True,
        "show_legend": False,
        "y_title": RENT_AXIS,
        "value_formatter": rent_text,
        "no_data_text": TOO_FEW,
        "margin": 8,
        "truncate_label": -1,
        **options,
    }


def _without_scripts(label: str):
    """An xml filter: drop every <script> (pygal's config for its tooltips), and name the
    image for screen readers (the table beside it holds the numbers)."""

    def apply(root):
        for parent in list(root.iter()):
            for child in list(parent):
                if str(child.tag).rsplit("}", 1)[-1] == "script":
                    parent.remove(child)
        root.set("role", "img")
        root.set("aria-label", label)
        return root

    return apply


def _render(chart, label: str) -> Markup:
    chart.add_xml_filter(_without_scripts(label))
    return Markup(chart.render(is_unicode=True))


# A chart with nothing to draw is the words TOO_FEW in a short frame, without axes.
EMPTY = {
    "height": 120,
    "y_title": None,
    "show_x_labels": False,
    "show_y_labels": False,
    "show_y_guides": False,
}


def _chart(kind: str, drawn: bool, **options):
    return getattr(_pygal(), kind)(**_config(**(options if drawn else EMPTY)))


def trend_chart(
    points: list[MonthPoint], place_name: str, image: bool = False, draw: bool = True
) -> Chart:
    """The median asking rent of each month as a line, broken where a month has too few units.
    As an image (`image`), it carries its size: an <img> of an SVG with a viewBox alone
    stretches to its column, where the inline chart's CSS caps it. Without `draw`, the title,
    size and table only."""
    title = f"{place_name}租金走势（近 {len(points)} 个月）"
    drawn = any(p.rent_median is not None for p in points)
    rows = tuple(
        (f"{p.month.year}年{p.month.month}月", rent_text(p.rent_median), str(p.rental_units))
        for p in points
    )
    height = HEIGHT if drawn else EMPTY["height"]
    if not draw:
        return Chart(title, None, TREND_COLUMNS, rows, height)
    chart = _chart(
        "Line",
        drawn,
        explicit_size=image,
        x_title=MONTH_AXIS,
        allow_interruptions=True,
        x_labels_major_every=LABEL_EVERY,
        show_minor_x_labels=False,
        dots_size=3,
        stroke_style={"width": 2.5},
    )
    if drawn:
        chart.x_labels = [month_label(p.month) for p in points]
        chart.add("租金中位数", [p.rent_median for p in points])
    return Chart(title, _render(chart, title), TREND_COLUMNS, rows, height)


def grade_chart(
    by_grade: dict[str, Figures], place_name: str, image: bool = False, draw: bool = True
) -> Chart:
    """The median asking rent of each grade as a bar, its quartiles as a whisker; a grade with
    too few units has no bar. `image` and `draw` as for `trend_chart`."""
    title = f"{place_name}各等级租金（元/㎡/天，中位数与四分位）"
    rows = tuple(
        (
            grade,
            rent_text(f.rent_p25),
            rent_text(f.rent_median),
            rent_text(f.rent_p75),
            str(f.rental_units),
        )
        for grade, f in by_grade.items()
    )
    values = [
        {"value": f.rent_median, "ci": {"low": f.rent_p25, "high": f.rent_p75}}
        if f.rent_median is not None
        else None
        for f in by_grade.values()
    ]
    drawn = any(v is not None for v in values)
    height = HEIGHT if drawn else EMPTY["height"]
    if not draw:
        return Chart(title, None, GRADE_COLUMNS, rows, height)
    highs = [f.rent_p75 for f in by_grade.values() if f.rent_p75 is not None]
    # From zero, and up to the highest whisker: pygal fits its axis to the bars alone.
    top = {"range": (0, max(highs) * 1.08)} if highs else {}
    chart = _chart(
        "Bar",
        drawn,
        explicit_size=image,
        x_title=GRADE_AXIS,
        print_values=True,
        print_values_position="center",
        **top,
    )
    if drawn:
        chart.x_labels = list(by_grade)
        chart.add("租金中位数", values)
    return Chart(title, _render(chart, title), GRADE_COLUMNS, rows, height)


KINDS = ("trend", "grades")


def _numbers(place_id: int) -> tuple[list[MonthPoint], dict[str, Figures]]:
    return figures.trend(place_id), figures.by_grade(place_id)


def version(place_name: str, points: list[MonthPoint], grades: dict[str, Figures]) -> str:
    """A short name of the numbers a place's charts show: their images' addresses carry it."""
    numbers = repr((place_name, tuple(points), tuple(grades.items())))
    return hashlib.blake2b(numbers.encode(), digest_size=6).hexdigest()


def for_place(place_id: int, place_name: str, slug: str) -> tuple[Chart, Chart]:
    """A place's trend and grade charts as a page shows them: titles, tables, sizes, and the
    addresses of their images; nothing is drawn here."""
    points, grades = _numbers(place_id)
    v = version(place_name, points, grades)
    return tuple(
        replace(chart, url=url_for("market.chart_image", slug=slug, kind=kind, v=v))
        for kind, chart in zip(
            KINDS,
            (
                trend_chart(points, place_name, draw=False),
                grade_chart(grades, place_name, draw=False),
            ),
            strict=True,
        )
    )


def image(place_id: int, place_name: str, kind: str) -> tuple[str, str]:
    """One of a place's charts drawn as an SVG document, and the version of the numbers it
    shows. Kept under those numbers: a unit changed in one town redraws no other place's
    charts, and a day that changes no number redraws nothing."""
    points, grades = _numbers(place_id)

    def draw() -> tuple[str, int]:
        if kind == "trend":
            chart = trend_chart(points, place_name, image=True)
        else:
            chart = grade_chart(grades, place_name, image=True)
        return str(chart.svg), 200

    question = (kind, place_name, tuple(points), tuple(grades.items()))
    svg, _status = pagecache.fragment("market-chart-image", (), question, draw)
    return svg, version(place_name, points, grades)
