"""The market's charts, drawn as SVG on the server by pygal: a place's asking rent month by month
and its rent by grade, each with the same numbers as rows for the table beside it.

The SVG goes into the page inline and carries no script: pygal writes one (its tooltips' config)
even with `js=[]`, and the page's CSP would refuse it anyway, so it is taken out of the tree. Its
styles are inline, which the CSP allows. Months and grades with too few units are None, which
pygal draws as a gap (a line interrupted, a missing bar), never as zero.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from functools import cache

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
    """A chart and its numbers: the SVG, and the table a screen reader or a copy reads."""

    title: str
    svg: Markup
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


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


def trend_chart(points: list[MonthPoint], place_name: str, image: bool = False) -> Chart:
    """The median asking rent of each month as a line, broken where a month has too few units.
    As an image (`image`), it carries its size: an <img> of an SVG with a viewBox alone
    stretches to its column, where the inline chart's CSS caps it."""
    title = f"{place_name}租金走势（近 {len(points)} 个月）"
    drawn = any(p.rent_median is not None for p in points)
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
    rows = tuple(
        (f"{p.month.year}年{p.month.month}月", rent_text(p.rent_median), str(p.rental_units))
        for p in points
    )
    return Chart(title, _render(chart, title), TREND_COLUMNS, rows)


def grade_chart(by_grade: dict[str, Figures], place_name: str) -> Chart:
    """The median asking rent of each grade as a bar, its quartiles as a whisker; a grade with
    too few units has no bar."""
    title = f"{place_name}各等级租金（元/㎡/天，中位数与四分位）"
    values = [
        {"value": f.rent_median, "ci": {"low": f.rent_p25, "high": f.rent_p75}}
        if f.rent_median is not None
        else None
        for f in by_grade.values()
    ]
    drawn = any(v is not None for v in values)
    highs = [f.rent_p75 for f in by_grade.values() if f.rent_p75 is not None]
    # From zero, and up to the highest whisker: pygal fits its axis to the bars alone.
    top = {"range": (0, max(highs) * 1.08)} if highs else {}
    chart = _chart(
        "Bar",
        drawn,
        x_title=GRADE_AXIS,
        print_values=True,
        print_values_position="center",
        **top,
    )
    if drawn:
        chart.x_labels = list(by_grade)
        chart.add("租金中位数", values)
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
    return Chart(title, _render(chart, title), GRADE_COLUMNS, rows)


def for_place(place_id: int, place_name: str) -> tuple[Chart, Chart]:
    """A place's trend and grade charts, drawn once for the numbers they show.

    The figures are read (from the rollups) on every call, and the charts are kept under those
    numbers rather than under the listings stamp: a unit changed in one town leaves every other
    place's charts as they were, and a day that changes no number redraws nothing.
    """
    points = figures.trend(place_id)
    grades = figures.by_grade(place_id)

    def draw() -> tuple[tuple[Chart, Chart], int]:
        return (trend_chart(points, place_name), grade_chart(grades, place_name)), 200

    question = (place_name, tuple(points), tuple(grades.items()))
    drawn, _status = pagecache.fragment("market-charts", (), question, draw)
    return drawn
