"""The market's pages: a page per district, town and the city, the /market/ table and its CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Blueprint, Response, abort, render_template, request

from app import pagecache
from app.geo.maps import tiles_name
from app.market import charts, compare, figures, services
from app.models import stamps
from app.models.base import utcnow
from app.models.places import KIND_LABELS

bp = Blueprint("market", __name__)
bp.add_app_template_global(figures.MIN_UNITS, "MARKET_MIN_UNITS")
# A building page sets its rent against its town's and park's (高于/低于均价): the listings
# come before the market among the areas and may not import it, so the market lends the
# building page's template the comparison (its cached facts call it once per version).
bp.add_app_template_global(compare.compare, "rent_comparison")

# A page shows the units (listings) and the news that mentions the place; its figures also move
# with the day (30-day windows, the current month), which the key holds.
PAGE_STAMPS = (stamps.LISTINGS, stamps.NEWS)
CHART_MAX_AGE = 7 * 24 * 3600  # a versioned chart's drawing never changes
STALE_CHART_MAX_AGE = 300  # an old version's address: the current drawing, for a while
SORT_REFUSED = "无法按“{}”排序，已按地区排列。可选：{}。"
ORDER_REFUSED = "排序方向只能是 asc（升序）或 desc（降序），已按升序排列。"


@bp.get("/places/<slug>")
def place(slug: str):
    """Show a district, a town or the city: its figures, charts, parks, buildings, news, map."""
    question = (slug, tiles_name(), utcnow().date())
    return pagecache.page("place-page", PAGE_STAMPS, question, lambda: _render_place(slug))


def _render_place(slug: str) -> tuple[str, int]:
    found = services.page_place(slug)
    if found is None:
        abort(404)
    subplaces = services.children(found)
    buildings = services.newest_buildings(found)
    html = render_template(
        "market/place.html",
        place=found,
        trail=services.trail(found),
        figures=figures.for_place(found.id),
        charts=charts.for_place(found.id, found.name, found.slug),
        subplaces=subplaces,
        subfigures=figures.for_places([p.id for p in subplaces]),
        parks=services.parks_in(found),
        buildings=buildings,
        search_args=services.search_args(found),
        articles=services.place_articles(found),
        map=services.place_map(found, buildings),
        kind_label=KIND_LABELS[found.kind],
    )
    return html, 200


@bp.get("/places/<slug>/<any(trend, grades):kind>.svg")
def chart_image(slug: str, kind: str):
    """Serve one of a place's (or a park's) charts as an SVG image. Its address names the
    version of the numbers drawn (`v`): that drawing never changes, so browsers keep it; an
    address whose version is past gets the current drawing, kept briefly."""
    found = services.chart_place(slug)
    if found is None:
        abort(404)
    svg, version = charts.image(found.id, found.name, kind)
    response = Response(svg, mimetype="image/svg+xml")
    response.cache_control.public = True
    current = request.args.get("v") == version
    response.cache_control.max_age = CHART_MAX_AGE if current else STALE_CHART_MAX_AGE
    return response


@bp.get("/places/<slug>/trend-<int:year>-<int:month>.svg")
def trend_image(slug: str, year: int, month: int):
    """Show a place's rent trend ending at a month as an SVG image: the monthly report's charts
    (an article holds images, never inline SVG). A month not yet begun is a 404."""
    found = services.page_place(slug)
    today = utcnow().date()
    if found is None or not 1 <= month <= 12 or not 2000 <= year <= today.year:
        abort(404)
    until = date(year, month, 1)
    if until > today:
        abort(404)
    points = figures.trend(found.id, until=until)

    def draw() -> tuple[str, int]:
        return str(charts.trend_chart(points, found.name, image=True).svg), 200

    # Kept under the numbers it shows, as the pages' charts are (app.market.charts.for_place).
    svg, _status = pagecache.fragment("market-trend-image", (), (found.name, tuple(points)), draw)
    return Response(svg, mimetype="image/svg+xml")


def read_sort(args) -> tuple[str, str, list[str]]:
    """The table's column and direction from the query, and the messages for values refused
    (each falls back to the default)."""
    sort = args.get("sort", services.DEFAULT_SORT)
    order = args.get("order", services.DEFAULT_ORDER)
    errors = []
    if sort not in services.SORTS:
        choices = "、".join(f"{c.key}（{c.heading}）" for c in services.COLUMNS)
        errors.append(SORT_REFUSED.format(sort[:40], choices))
        sort = services.DEFAULT_SORT
    if order not in services.ORDERS:
        errors.append(ORDER_REFUSED)
        order = services.DEFAULT_ORDER
    return sort, order, errors


@bp.get("/market/")
def index():
    """Show every district and town with its figures, sortable by any column, and the region's
    charts. A sort or order it does not know is a 400 with the table in its default order."""
    question = (utcnow().date(),)
    return pagecache.page("market-page", (stamps.LISTINGS,), question, _render_index)


def _render_index() -> tuple[str, int]:
    sort, order, errors = read_sort(request.args)
    city, districts = services.market_table(sort, order)
    html = render_template(
        "market/index.html",
        city=city,
        districts=districts,
        columns=services.COLUMNS,
        sort=sort,
        order=order,
        errors=errors,
        charts=charts.for_place(city.place.id, city.place.name, city.place.slug) if city else None,
    )
    return html, 400 if errors else 200


CSV_HEADINGS = ("标识", "地区", "类型", "上级", *(c.heading for c in services.COLUMNS[1:]))


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return value


@bp.get("/market/export.csv")
def export():
    """Download every place's figures (the city, districts, towns, parks) as CSV, UTF-8 with a
    BOM so that Excel reads the Chinese."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADINGS)
    for place, found in services.export_rows():
        parent = place.parent.name if place.parent else ""
        values = [_csv_value(c.value(place, found)) for c in services.COLUMNS[1:]]
        writer.writerow([place.slug, place.name, KIND_LABELS[place.kind], parent, *values])
    filename = f"shaoxing-market-{utcnow():%Y-%m-%d}.csv"
    return (
        out.getvalue(),
        200,
        {
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )
