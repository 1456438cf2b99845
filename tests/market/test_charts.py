"""The market's charts: SVG a browser draws without script, Chinese axis titles, a point or bar
for each figure and a gap (never a zero) where there are too few units; the same numbers as
table rows."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.market import charts
from app.market.figures import MIN_UNITS, Figures, MonthPoint, month_starts
from app.models import Place

SVG = "{http://www.w3.org/2000/svg}"


def parsed(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def elements(root: ET.Element, tag: str, css_classes: str = "") -> list[ET.Element]:
    """The elements of that tag with every class named (space-separated)."""
    wanted = set(css_classes.split())
    return [e for e in root.iter(SVG + tag) if wanted <= set((e.get("class") or "").split())]


def titles(root: ET.Element) -> list[str]:
    return [e.text for e in elements(root, "text", "title")]


def figures(median: float | None, p25=None, p75=None, units: int = 10) -> Figures:
    return Figures(1, None, units, 100.0 * units, p25, median, p75, 0, None, 0, 0, None)


MONTHS = month_starts(date(2026, 12, 7))


def trend(values: list[float | None]) -> list[MonthPoint]:
    return [
        MonthPoint(month, value, MIN_UNITS if value is not None else 2)
        for month, value in zip(MONTHS, values, strict=True)
    ]


def test_the_trend_has_no_script_its_axis_titles_and_a_point_per_month_with_enough_units():
    values = [1.2 + 0.01 * i for i in range(24)]
    values[5] = values[6] = None  # two months with too few units
    chart = charts.trend_chart(trend(values), "次坞镇")
    root = parsed(chart)
    assert elements(root, "script") == [] and "<script" not in chart.svg
    assert titles(root) == ["月份", "租金（元/㎡/天）"]
    assert root.get("role") == "img" and root.get("aria-label") == chart.title
    assert "次坞镇" in chart.title and "24" in chart.title
    assert len(elements(root, "circle", "dot")) == 22
    shown = [e.text for e in elements(root, "desc", "value")]
    assert shown[:3] == ["1.20", "1.21", "1.22"] and "0.00" not in shown
    # The gap splits the line in two rather than dropping it to zero.
    assert len(elements(root, "path", "line reactive")) == 2
    labels = [e.text for e in elements(root, "text") if (e.text or "").startswith("20")]
    assert labels == ["2025-01", "2025-07", "2026-01", "2026-07"]


def test_the_trend_table_has_every_month_with_two_decimals_and_a_dash_for_a_gap():
    values = [1.5] * 24
    values[0] = None
    chart = charts.trend_chart(trend(values), "诸暨市")
    assert chart.columns == ("月份", "租金中位数（元/㎡/天）", "在租房源（套）")
    assert len(chart.rows) == 24
    assert chart.rows[0] == ("2025年1月", "—", "2")
    assert chart.rows[-1] == ("2026年12月", "1.50", str(MIN_UNITS))


def test_a_trend_without_any_month_says_too_few_units_instead_of_drawing_zeros():
    chart = charts.trend_chart(trend([None] * 24), "塔山街道")
    root = parsed(chart)
    assert elements(root, "circle", "dot") == []
    assert [e.text for e in elements(root, "text")] == [charts.TOO_FEW], "no empty axes"
    assert len(chart.rows) == 24


def test_a_grade_chart_without_any_grade_says_too_few_units():
    chart = charts.grade_chart({g: figures(None, units=2) for g in ("甲级", "乙级", "丙级")}, "x")
    root = parsed(chart)
    assert elements(root, "rect", "rect") == []
    assert [e.text for e in elements(root, "text")] == [charts.TOO_FEW]
    assert [row[-1] for row in chart.rows] == ["2", "2", "2"]


def test_the_grade_chart_draws_a_bar_with_quartiles_for_each_grade_with_enough_units():
    chart = charts.grade_chart(
        {
            "甲级": figures(2.1, 1.8, 2.4),
            "乙级": figures(1.4, 1.2, 1.6),
            "丙级": figures(None, units=3),
        },
        "柯桥区",
    )
    root = parsed(chart)
    assert elements(root, "script") == []
    assert titles(root) == ["等级", "租金（元/㎡/天）"]
    assert [e.text for e in elements(root, "desc", "x_label")] == ["甲级", "乙级"]
    assert [e.text for e in elements(root, "text", "value")] == ["2.10", "1.40"]
    assert len(elements(root, "rect", "rect")) == 2  # no bar at zero for 丙级
    assert len(elements(root, "g", "ci")) == 2  # the quartiles' whiskers
    axis = [float(e.text) for e in elements(root, "text") if (e.text or "").count(".") == 1]
    assert max(axis) >= 2.4, "the axis reaches the highest whisker"
    assert chart.rows == (
        ("甲级", "1.80", "2.10", "2.40", "10"),
        ("乙级", "1.20", "1.40", "1.60", "10"),
        ("丙级", "—", "—", "—", "3"),
    )


def test_the_charts_name_a_cjk_font_and_scale_to_their_column():
    chart = charts.grade_chart({"甲级": figures(2.0, 1.9, 2.1)}, "越城区")
    root = parsed(chart)
    style = "".join(e.text or "" for e in elements(root, "style"))
    assert "WenQuanYi Micro Hei" in style
    assert root.get("viewBox") == f"0 0 {charts.WIDTH} {charts.HEIGHT}"
    assert root.get("width") is None and root.get("height") is None


@pytest.mark.parametrize("value", [0.0, 12.345])
def test_rent_text_has_two_decimals(value):
    assert charts.rent_text(value) == f"{value:.2f}"


def test_a_places_charts_are_drawn_once_for_the_numbers_they_show(app, demo, monkeypatch):
    ciwu = db.session.scalar(select(Place).where(Place.slug == "ciwu"))
    drawn = []
    original = charts.trend_chart
    monkeypatch.setattr(
        charts,
        "trend_chart",
        lambda *args, **kwargs: drawn.append(args[1]) or original(*args, **kwargs),
    )
    with app.test_request_context("/places/ciwu"):
        page = charts.for_place(ciwu.id, ciwu.name, ciwu.slug)
        assert drawn == ["次坞镇"] and page[0].svg is None  # the page draws nothing
        first, version = charts.image(ciwu.id, ciwu.name, "trend")
        again, _same = charts.image(ciwu.id, ciwu.name, "trend")
        assert drawn == ["次坞镇", "次坞镇"] and again == first  # drawn once, then kept
        charts.image(ciwu.id, "次坞", "trend")  # other words on the chart: drawn anew
    assert drawn == ["次坞镇", "次坞镇", "次坞"]
    assert "次坞镇租金走势" in page[0].title and first.startswith("<svg")
    assert page[0].url == f"/places/ciwu/trend.svg?v={version}"
