"""What the market's pages show besides the figures: which places have a page, where they sit,
their parks, newest buildings, news and map, and the order of the /market/ table.

The figures themselves come from app.market.figures, the only module a page asks for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload

from app.extensions import db
from app.geo.maps import MapPoint, RenderedMap, build_map
from app.listings.services import CARD_LOADS, BuildingCard, cards
from app.listings.services import published as published_buildings
from app.market import figures
from app.market.figures import Figures
from app.models import Article, ArticlePlace, Building, Park, Place, PlaceKind

# The places with a page of their own; a park's place has its park page instead.
PAGE_KINDS = (PlaceKind.CITY, PlaceKind.DISTRICT, PlaceKind.TOWN)
NEWEST_BUILDINGS = 6
# A district's or the city's outline is a JSON document of tens of kilobytes: it is read only for
# the place whose map draws it, never for the places a page merely names (decoding the parents'
# outlines was most of a town page's first render).
NO_OUTLINE = defer(Place.boundary)
PLACE_ARTICLES = 10


def page_place(slug: str) -> Place | None:
    """The city, district or town of the region with this slug; None for anything else."""
    return db.session.scalar(
        select(Place)
        .where(Place.slug == slug, Place.kind.in_(PAGE_KINDS), Place.in_region.is_(True))
        .options(
            joinedload(Place.parent).defer(Place.boundary),
            joinedload(Place.parent).joinedload(Place.parent).defer(Place.boundary),
        )
    )


def chart_place(slug: str) -> Place | None:
    """A place whose charts are drawn: one with a page, or a park's own place (its park page
    shows them)."""
    return db.session.scalar(
        select(Place).where(
            Place.slug == slug,
            Place.kind.in_((*PAGE_KINDS, PlaceKind.PARK)),
            Place.in_region.is_(True),
        )
    )


def trail(place: Place) -> list[Place]:
    """The place's ancestors from the city down, then the place: 绍兴市 › 诸暨市 › 次坞镇."""
    chain = []
    current: Place | None = place
    while current is not None:
        chain.append(current)
        current = current.parent
    return chain[::-1]


def region_places() -> list[Place]:
    """The city, its districts and their towns (the region's only), in the gazetteer's order
    (statistics codes, which list a district's 街道 before its 镇)."""
    query = (
        select(Place)
        .where(Place.kind.in_(PAGE_KINDS), Place.in_region.is_(True))
        .options(NO_OUTLINE)
        .order_by(Place.code, Place.name)
    )
    return list(db.session.scalars(query))


def children(place: Place) -> list[Place]:
    """The districts of the city, or the towns of a district; a town has none."""
    kind = {PlaceKind.CITY: PlaceKind.DISTRICT, PlaceKind.DISTRICT: PlaceKind.TOWN}.get(place.kind)
    if kind is None:
        return []
    query = (
        select(Place)
        .where(Place.parent_id == place.id, Place.kind == kind, Place.in_region.is_(True))
        .options(NO_OUTLINE)
        .order_by(Place.code, Place.name)
    )
    return list(db.session.scalars(query))


def all_parks() -> list[Park]:
    query = (
        select(Park)
        .join(Park.place)
        .options(
            joinedload(Park.place).defer(Place.boundary),
            joinedload(Park.place).joinedload(Place.parent).defer(Place.boundary),
            joinedload(Park.place)
            .joinedload(Place.parent)
            .joinedload(Place.parent)
            .defer(Place.boundary),
        )
        .order_by(Place.name)
    )
    return list(db.session.scalars(query))


def parks_in(place: Place) -> list[Park]:
    """The parks whose place lies in this place (a park of a town is also its district's and
    the city's)."""
    found = []
    for park in all_parks():
        ancestor = park.place.parent
        while ancestor is not None and ancestor.id != place.id:
            ancestor = ancestor.parent
        if ancestor is not None:
            found.append(park)
    return found


def _in_place(place: Place):
    """The condition on Building for the buildings of a page's place."""
    if place.kind == PlaceKind.DISTRICT:
        return Building.district_id == place.id
    if place.kind == PlaceKind.TOWN:
        return Building.town_id == place.id
    districts = select(Place.id).where(Place.parent_id == place.id)
    return Building.district_id.in_(districts)


def newest_buildings(place: Place, limit: int = NEWEST_BUILDINGS) -> list[BuildingCard]:
    """The place's published buildings, the newest (the last created) first."""
    # By id, which grows with each building: an index of the place's buildings holds it (the
    # row id on SQLite), where created_at would mean reading every building of a district.
    query = (
        published_buildings()
        .where(_in_place(place))
        .options(*CARD_LOADS)
        .order_by(Building.id.desc())
        .limit(limit)
    )
    return cards(list(db.session.scalars(query)))


def search_args(place: Place) -> dict[str, str]:
    """The /listings/ parameters that search the whole place, as the search form takes them."""
    if place.kind == PlaceKind.DISTRICT:
        return {"district": place.name}
    if place.kind == PlaceKind.TOWN:
        return {"town": place.name}
    return {}


def place_articles(place: Place, limit: int = PLACE_ARTICLES) -> list[Article]:
    """Published news that mentions the place, newest first."""
    query = (
        select(Article)
        .join(ArticlePlace, ArticlePlace.article_id == Article.id)
        .where(ArticlePlace.place_id == place.id, Article.status == "published")
        .order_by(Article.published_at.desc(), Article.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _polygons(boundary: dict) -> list[dict]:
    """A (Multi)Polygon as the Polygons the map draws one by one."""
    if boundary.get("type") == "MultiPolygon":
        return [{"type": "Polygon", "coordinates": rings} for rings in boundary["coordinates"]]
    return [boundary]


def place_map(place: Place, buildings: list[BuildingCard]) -> RenderedMap:
    """The place's outline where the gazetteer has one (else its centre) and its newest
    buildings."""
    points = [MapPoint(place.lat, place.lon, place.name, "place")]
    for card in buildings:
        b = card.building
        if b.lat is not None and b.lon is not None:
            url = url_for("listings.building", building_id=b.id)
            points.append(MapPoint(b.lat, b.lon, b.name, "building", url))
    outline = _polygons(place.boundary) if place.boundary else []
    zoom = {PlaceKind.CITY: 9, PlaceKind.DISTRICT: 10}.get(place.kind, 13)
    return build_map(
        points,
        center=(place.lat, place.lon),
        zoom=zoom,
        boundaries=[(place.name, polygon) for polygon in outline],
    )


# -- the /market/ table ----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of the market table, the CSV and the API: its label and unit, and how to read
    it from a place and its figures."""

    key: str
    label: str
    unit: str
    value: Callable[[Place, Figures], object]
    # What the table sorts by, when not the value: names in the gazetteer's (code) order.
    sort_value: Callable[[Place, Figures], object] | None = None

    @property
    def heading(self) -> str:
        return f"{self.label}（{self.unit}）" if self.unit else self.label


COLUMNS = (
    Column("name", "地区", "", lambda p, f: p.name, lambda p, f: (p.code or "", p.name)),
    Column("rental_units", "在租房源", "套", lambda p, f: f.rental_units),
    Column("rental_area", "在租面积", "㎡", lambda p, f: f.rental_area),
    Column("rent_median", "租金中位数", "元/㎡/天", lambda p, f: f.rent_median),
    Column("rent_p25", "租金下四分位", "元/㎡/天", lambda p, f: f.rent_p25),
    Column("rent_p75", "租金上四分位", "元/㎡/天", lambda p, f: f.rent_p75),
    Column("sale_median", "售价中位数", "元/㎡", lambda p, f: f.sale_median),
    Column("new_30d", "近30天新增", "套", lambda p, f: f.new_30d),
    Column("let_30d", "近30天成交", "套", lambda p, f: f.let_30d),
    Column("days_on_market", "去化天数", "天", lambda p, f: f.days_on_market),
)
SORTS = {column.key: column for column in COLUMNS}
DEFAULT_SORT, DEFAULT_ORDER = "name", "asc"
ORDERS = ("asc", "desc")


@dataclass
class Row:
    """A district (with its towns) or a town, and its figures."""

    place: Place
    figures: Figures
    towns: list[Row] = field(default_factory=list)


def market_table(
    sort: str = DEFAULT_SORT, order: str = DEFAULT_ORDER
) -> tuple[Row | None, list[Row]]:
    """The city's row (None before the gazetteer is loaded), and its districts each with its
    towns, districts sorted among themselves and towns within their district by `sort`; a
    figure missing (too few units) sorts last either way."""
    places = region_places()
    found = figures.for_places([p.id for p in places])
    rows = {p.id: Row(p, found[p.id]) for p in places}
    city = next((row for row in rows.values() if row.place.kind == PlaceKind.CITY), None)
    districts = [row for row in rows.values() if row.place.kind == PlaceKind.DISTRICT]
    for row in rows.values():
        if row.place.kind == PlaceKind.TOWN and row.place.parent_id in rows:
            rows[row.place.parent_id].towns.append(row)
    column = SORTS[sort]
    for district in districts:
        district.towns = _sorted(district.towns, column, order)
    return city, _sorted(districts, column, order)


def _sorted(rows: list[Row], column: Column, order: str) -> list[Row]:
    """`rows` (in the gazetteer's order, which equal values keep: the sort is stable) by the
    column, the rows without a value last."""
    value = column.sort_value or column.value
    present = [r for r in rows if value(r.place, r.figures) is not None]
    missing = [r for r in rows if value(r.place, r.figures) is None]
    present.sort(key=lambda r: value(r.place, r.figures), reverse=order == "desc")
    return present + missing


def export_rows() -> list[tuple[Place, Figures]]:
    """Every place with figures, as the CSV and the API list them: the city, each district
    followed by its towns, then the parks."""
    city, districts = market_table()
    rows = [(city.place, city.figures)] if city else []
    for district in districts:
        rows.append((district.place, district.figures))
        rows += [(town.place, town.figures) for town in district.towns]
    parks = all_parks()
    park_figures = figures.for_places([park.place_id for park in parks])
    rows += [(park.place, park_figures[park.place_id]) for park in parks]
    return rows
