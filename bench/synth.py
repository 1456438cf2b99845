"""The synthetic market: a gazetteer around the demo's, buildings, units and articles.

Everything is drawn from one `random.Random(seed)` in a fixed order, so the same seed and scale
give the same rows (times are offsets from the moment of generation). Rows come out as tuples in
the column order of `COLUMNS`, in batches, for bench.load to write with a bulk path.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from app.demo import loader
from app.demo.parks import PARKS
from app.demo.places import PLACES
from app.extensions import db
from app.listings import facets, fulltext
from app.models import Article, Park, Place, PlaceKind, Role, User
from app.models.listings import DECORATIONS
from app.news import linker
from app.news.sanitize import clean_html
from bench import Scale, words

COLUMNS = {
    "building": (
        "id", "name", "address", "lat", "lon", "point_source", "point_precision", "town_id",
        "district_id", "park_id", "grade", "floors", "year_built", "property_fee",
        "efficiency_pct", "description", "featured", "status", "owner_id", "view_count",
        "created_at", "updated_at", "units_confirmed_at", "rent_low", "rent_high",
        "unit_kinds", "town_fixed", "park_fixed",
    ),
    "unit": (
        "id", "building_id", "deal", "floor", "area_m2", "rent_per_m2_day", "price_per_m2",
        "decoration", "status", "available_from", "confirmed_at", "created_at", "updated_at",
    ),
    "article": (
        "id", "import_key", "title", "category", "source", "source_url", "published_at",
        "summary", "body", "editor", "original_title", "keywords", "status", "author_id",
        "created_at", "updated_at", "date_unverified",
    ),
    "article_place": ("article_id", "place_id", "mentions", "first_offset"),
}  # fmt: skip


@dataclass(frozen=True)
class DistrictPlan:
    """How a district of the demo gazetteer grows: its share of buildings, towns and parks."""

    weight: float
    extra_towns: int
    extra_parks: int
    radius_km: float
    rent_base: float  # 元/㎡/天 of an ordinary 乙级 building


DISTRICTS = {
    "zhuji": DistrictPlan(0.40, 20, 12, 22, 1.4),
    "keqiao": DistrictPlan(0.20, 12, 8, 14, 1.5),
    "yuecheng": DistrictPlan(0.20, 12, 8, 8, 1.9),
    "shangyu": DistrictPlan(0.10, 14, 6, 14, 1.2),
    "binjiang": DistrictPlan(0.07, 0, 0, 5, 3.2),
    "xiaoshan": DistrictPlan(0.03, 6, 3, 12, 2.0),
}
GRADE_FACTOR = {"甲级": 1.35, "乙级": 1.0, "丙级": 0.75, None: 0.9}
KM_PER_DEG_LAT = 111.2


# -- the gazetteer --------------------------------------------------------------------------


def _offset(rng: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    """A point about `km` from (lat, lon), in a random direction."""
    angle = rng.uniform(0, 2 * math.pi)
    dlat = km * math.cos(angle) / KM_PER_DEG_LAT
    dlon = km * math.sin(angle) / (KM_PER_DEG_LAT * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


def _fresh_name(rng: random.Random, taken: set[str]) -> str:
    while True:
        short = rng.choice(words.TOWN_FIRST) + rng.choice(words.TOWN_SECOND)
        if short not in taken and all(short not in name for name in taken):
            taken.add(short)
            return short


def synthetic_gazetteer(rng: random.Random) -> tuple[list[dict], list[dict]]:
    """Towns and parks added around the demo's, in the demo loader's dict formats."""
    taken = {n for p in [*PLACES, *PARKS] for n in [p["name"], *p.get("aliases", [])]}
    centres = {p["slug"]: p for p in PLACES}
    places, parks = [], []
    for slug, plan in DISTRICTS.items():
        centre = centres[slug]
        towns = [p["slug"] for p in PLACES if p["parent"] == slug and p["kind"] == "town"]
        for i in range(plan.extra_towns):
            short = _fresh_name(rng, taken)
            suffix = rng.choice(words.TOWN_SUFFIXES)
            lat, lon = _offset(rng, centre["lat"], centre["lon"], rng.uniform(3, plan.radius_km))
            town = f"bench-{slug}-town-{i}"
            places.append(
                {"slug": town, "name": short + suffix, "kind": "town", "parent": slug,
                 "aliases": [short] if suffix == "镇" else [], "lat": lat, "lon": lon}
            )  # fmt: skip
            towns.append(town)
        for i in range(plan.extra_parks):
            parks.append(_synthetic_park(rng, f"bench-{slug}-park-{i}", rng.choice(towns), taken))
    by_slug = {p["slug"]: p for p in [*PLACES, *places]}
    for park in parks:
        town = by_slug[park["town"]]
        park["lat"], park["lon"] = _offset(rng, town["lat"], town["lon"], rng.uniform(0.5, 3))
    return places, parks


def _synthetic_park(rng: random.Random, slug: str, town: str, taken: set[str]) -> dict:
    short = _fresh_name(rng, taken)
    theme = rng.choice(words.PARK_THEMES)
    word, kind = rng.choice(words.PARK_KINDS)
    return {
        "slug": slug,
        "name": f"{short}{theme}{word}",
        "aliases": [],
        "kind": kind,
        "town": town,
        "boundary": None,
        "description": f"{short}{theme}{word}是基准测试生成的园区，主要发展{theme}产业。",
        "industries": theme,
        "operator": f"{short}{theme}{word}管理委员会",
    }


@dataclass
class TownInfo:
    """A town as the generator needs it: ids, names for the index, a point."""

    id: int
    name: str
    names: list[str]
    district_id: int
    district_slug: str
    district_name: str
    district_names: list[str]
    lat: float
    lon: float
    parks: list[ParkInfo] = field(default_factory=list)


@dataclass
class ParkInfo:
    id: int
    name: str
    names: list[str]
    lat: float
    lon: float


@dataclass
class Gazetteer:
    towns_by_district: dict[str, list[TownInfo]]
    mention_names: list[str]  # every place name an article may mention
    owner_id: int


def load_gazetteer(rng: random.Random) -> Gazetteer:
    """Load the demo gazetteer with the synthetic towns and parks, through the demo loader."""
    extra_places, extra_parks = synthetic_gazetteer(rng)
    places = loader.load_places([*PLACES, *extra_places])
    loader.load_parks([*PARKS, *extra_parks], places)
    owner = User(email="bench-agent@bench.example", name="基准测试经纪人", role=Role.AGENT)
    owner.set_password("bench-" + str(rng.random()))
    db.session.add(owner)
    db.session.commit()
    return read_gazetteer(owner.id)


def read_gazetteer(owner_id: int) -> Gazetteer:
    """The towns (with their districts and parks) and place names, as stored."""
    all_places = db.session.scalars(select(Place)).all()
    by_id = {p.id: p for p in all_places}
    towns: dict[int, TownInfo] = {}
    for place in all_places:
        district = place.ancestor(PlaceKind.DISTRICT) if place.kind == PlaceKind.TOWN else None
        if district is None or district.slug not in DISTRICTS:
            continue
        towns[place.id] = TownInfo(
            place.id, place.name, list(place.names), district.id, district.slug,
            district.name, list(district.names), place.lat, place.lon,
        )  # fmt: skip
    for park in db.session.scalars(select(Park).order_by(Park.id)):
        town = towns.get(park.place.parent_id)
        if town is not None:
            p = by_id[park.place_id]
            town.parks.append(ParkInfo(park.id, p.name, list(p.names), p.lat, p.lon))
    grouped: dict[str, list[TownInfo]] = {slug: [] for slug in DISTRICTS}
    for town in sorted(towns.values(), key=lambda t: t.id):
        grouped[town.district_slug].append(town)
    names = sorted({p.name for p in all_places if p.kind != PlaceKind.CITY})
    db.session.rollback()
    return Gazetteer(grouped, names, owner_id)


# -- buildings and units --------------------------------------------------------------------


@dataclass
class BuildingBatch:
    buildings: list[tuple] = field(default_factory=list)
    units: list[tuple] = field(default_factory=list)
    documents: list[tuple[int, str]] = field(default_factory=list)  # (building id, index text)


def unit_counts(rng: random.Random, buildings: int, units: int) -> list[int]:
    """How many units each building has: about units / buildings, summing to exactly `units`."""
    mean = units / buildings
    high = max(1, round(2 * mean) - 1)
    counts = [rng.randint(1, high) for _ in range(buildings)]
    diff = units - sum(counts)
    while diff:
        i = rng.randrange(buildings)
        step = 1 if diff > 0 else -1
        if 1 <= counts[i] + step <= high + 1:
            counts[i] += step
            diff -= step
    return counts


def document(building: tuple, units: list[tuple], town: TownInfo, park: ParkInfo | None) -> str:
    """The index text of a generated building, made by fulltext.document() itself.

    document() reads a Building's columns, its town, district and park place names and its
    units in floor order; plain objects with the same attributes stand in for the ORM rows.
    """
    b = SimpleNamespace(**dict(zip(COLUMNS["building"], building, strict=True)))
    b.town = SimpleNamespace(names=town.names)
    b.district = SimpleNamespace(names=town.district_names)
    b.park = SimpleNamespace(place=SimpleNamespace(names=park.names)) if park else None
    ordered = sorted(units, key=lambda u: u[3])  # Building.units is ordered by floor
    b.units = [SimpleNamespace(**dict(zip(COLUMNS["unit"], u, strict=True))) for u in ordered]
    return fulltext.document(b)


class Market:
    """The synthetic market of one scale, drawn from one seeded random generator."""

    def __init__(self, scale: Scale, gazetteer: Gazetteer, now: datetime, seed: int) -> None:
        self.scale = scale
        self.gaz = gazetteer
        self.now = now
        self.rng = random.Random(seed)
        self.districts = [s for s in DISTRICTS if gazetteer.towns_by_district[s]]
        self.weights = [DISTRICTS[s].weight for s in self.districts]

    def building_batches(self, size: int = 2000) -> Iterator[BuildingBatch]:
        counts = unit_counts(self.rng, self.scale.buildings, self.scale.units)
        batch, unit_id = BuildingBatch(), 0
        for building_id, count in enumerate(counts, start=1):
            units = self._building(batch, building_id, count, unit_id)
            unit_id += len(units)
            if len(batch.buildings) >= size:
                yield batch
                batch = BuildingBatch()
        if batch.buildings:
            yield batch

    def _ago(self, days_low: float, days_high: float) -> datetime:
        return self.now - timedelta(seconds=round(self.rng.uniform(days_low, days_high) * 86400))

    def _building(self, batch: BuildingBatch, bid: int, count: int, unit_id: int) -> list[tuple]:
        rng = self.rng
        slug = rng.choices(self.districts, self.weights)[0]
        town = rng.choice(self.gaz.towns_by_district[slug])
        park = rng.choice(town.parks) if town.parks and rng.random() < 0.3 else None
        grade = rng.choices(["甲级", "乙级", "丙级", None], [25, 45, 25, 5])[0]
        lat, lon, source, precision = self._point(town, park)
        name, address, description = self._texts(town, park)
        created = self._ago(30, 900)
        updated = created + (self.now - created) * rng.random()
        floors = max(count + rng.randint(0, 8), rng.randint(5, 33))
        status = rng.choices(["published", "draft", "hidden"], [95, 3, 2])[0]
        row = [
            bid, name, address, lat, lon, source, precision, town.id, town.district_id,
            park.id if park else None, grade, floors, rng.randint(1998, 2025),
            self._fee(grade), round(rng.uniform(60, 85), 1), description,
            status == "published" and rng.random() < 0.02, status, self.gaz.owner_id,
            rng.randint(0, 800), created, updated,
        ]  # fmt: skip
        base = DISTRICTS[slug].rent_base * GRADE_FACTOR[grade] * rng.uniform(0.8, 1.25)
        floor_numbers = sorted(rng.sample(range(1, floors + 1), count))
        units = [
            self._unit(unit_id + i + 1, bid, floor, base, created)
            for i, floor in enumerate(floor_numbers)
        ]
        # The ranking key and the unit summary (app.listings.facets), as refresh_ranking() sets.
        available = [u for u in units if u[8] == "available"]
        row.append(max((u[10] for u in available), default=fulltext.NEVER_CONFIRMED))
        rents = [u[5] for u in available if u[5] is not None]
        row += [min(rents, default=None), max(rents, default=None)]
        row.append(facets.kinds_of((u[2], u[7]) for u in available))
        row += [False, False]  # town_fixed, park_fixed: placed, not chosen by an agent
        batch.buildings.append(tuple(row))
        batch.units.extend(units)
        batch.documents.append((bid, document(tuple(row), units, town, park)))
        return units

    def _point(self, town: TownInfo, park: ParkInfo | None) -> tuple[float, float, str, str]:
        rng = self.rng
        anchor = park or town
        kind = rng.choices(["pin", "baidu", "gazetteer"], [70, 20, 10])[0]
        if kind == "gazetteer":
            return anchor.lat, anchor.lon, "gazetteer", "park" if park else "town"
        spread = 0.7 if park else 1.2
        lat, lon = _offset(rng, anchor.lat, anchor.lon, min(4.0, abs(rng.gauss(0, spread))))
        return lat, lon, kind, "address" if kind == "pin" else "street"

    def _fee(self, grade: str | None) -> float:
        low, high = {"甲级": (5, 12), "乙级": (3, 6), "丙级": (1.5, 3.5)}.get(grade, (2, 5))
        return round(self.rng.uniform(low, high), 1)

    def _texts(self, town: TownInfo, park: ParkInfo | None) -> tuple[str, str, str]:
        rng = self.rng
        prefix = town.name.removesuffix("街道").removesuffix("镇") if rng.random() < 0.5 else ""
        name = prefix + rng.choice(words.BRANDS) + rng.choice(words.BUILDING_KINDS)
        name += rng.choice(words.BLOCKS)
        address = f"{town.district_name}{town.name}{rng.choice(words.ROADS)}{rng.randint(1, 999)}号"
        near = list(words.NEAR)
        if town.district_slug == "keqiao":
            near += ["轻纺城"] * 4
        slots = {"b": name, "t": town.name, "d": town.district_name}
        sentences = [f"{name}位于{park.name}内。"] if park else []
        for template in rng.sample(words.BUILDING_SENTENCES, rng.randint(2, 4)):
            sentences.append(
                template.format(
                    **slots,
                    n=rng.choice(near),
                    n2=rng.choice(near),
                    k=round(rng.uniform(0.3, 3.0), 1),
                    m=rng.randint(3, 20),
                    f=rng.choice(words.FEATURES),
                    i=rng.choice(words.INDUSTRIES),
                )  # fmt: skip
            )
        return name, address, "".join(sentences)

    def _unit(self, uid: int, bid: int, floor: int, base: float, built: datetime) -> tuple:
        rng = self.rng
        sale = rng.random() < 0.1
        area = float(round(math.exp(rng.uniform(math.log(50), math.log(2000)))))
        rent = None if sale else round(min(4.5, max(0.6, base * rng.uniform(0.85, 1.2))), 2)
        price = round(base * rng.uniform(4200, 5600), -1) if sale else None
        decoration = rng.choices([*DECORATIONS, None], [2, 3, 4, 1, 0.5])[0]
        taken = "sold" if sale else "leased"
        status = rng.choices(["available", "reserved", taken], [80, 8, 12])[0]
        created = built + (self.now - built) * rng.random() * 0.5
        confirmed = max(created, self._ago(0, 60))
        updated = max(confirmed, created + (self.now - created) * rng.random())
        available = (self.now + timedelta(days=rng.randint(0, 90))).date()
        available_from = available if rng.random() < 0.5 else None
        return (uid, bid, "sale" if sale else "rent", floor, area, rent, price, decoration,
                status, available_from, confirmed, created, updated)  # fmt: skip

    # -- articles ---------------------------------------------------------------------------

    def article_batches(self, size: int = 1000) -> Iterator[tuple[list[tuple], list[tuple]]]:
        """(article rows, article_place rows), the links found by the app's own linker."""
        articles, links = [], []
        for aid in range(1, self.scale.articles + 1):
            row = self._article(aid)
            articles.append(row)
            text = linker.article_text(Article(title=row[2], summary=row[7], body=row[8]))
            links.extend(
                (aid, f.place.id, f.mentions, f.first_offset) for f in linker.find_places(text)
            )
            if len(articles) >= size:
                yield articles, links
                articles, links = [], []
        if articles:
            yield articles, links

    def _article(self, aid: int) -> tuple:
        rng = self.rng
        title, summary, body, keywords = article_text(rng, self.gaz, rng.randint(600, 2000))
        published = self._ago(0, 3 * 365)
        status = "published" if rng.random() < 0.97 else "draft"
        return (
            aid, f"bench:{aid}", title, rng.choice(words.CATEGORIES), rng.choice(words.SOURCES),
            None, published, summary, clean_html(body), rng.choice(words.EDITORS), "",
            ",".join(keywords), status, None, published, published, False,
        )  # fmt: skip


# -- article text ---------------------------------------------------------------------------


def _sentence(rng: random.Random, names: list[str], p: str, q: str) -> str:
    return rng.choice(words.ARTICLE_SENTENCES).format(
        p=p if rng.random() < 0.6 else rng.choice(names), q=q, i=rng.choice(words.INDUSTRIES),
        x=rng.randint(3, 120), y=rng.randint(2019, 2027), r=round(rng.uniform(0.8, 3.5), 1),
    )  # fmt: skip


def article_text(rng: random.Random, gaz: Gazetteer, chars: int) -> tuple[str, str, str, list[str]]:
    """(title, 导读, body HTML, keywords) of a news story of about `chars` characters."""
    names = gaz.mention_names
    p, q = rng.choice(names), rng.choice(names)
    title = p + rng.choice(words.TOPICS)
    summary = _sentence(rng, names, p, q) + _sentence(rng, names, p, q)
    parts: list[str] = []
    length = len(title) + len(summary)
    while length < chars:
        if parts and rng.random() < 0.15:
            heading = rng.choice(words.HEADINGS)
            parts.append(f"<h3>{heading}</h3>")
            length += len(heading)
        paragraph = "".join(_sentence(rng, names, p, q) for _ in range(rng.randint(2, 5)))
        paragraph = paragraph[: max(10, chars - length)]
        parts.append(f"<p>{paragraph}</p>")
        length += len(paragraph)
    return title, summary, "".join(parts), [p, q, rng.choice(words.INDUSTRIES)]


def person(rng: random.Random) -> str:
    return rng.choice(words.SURNAMES) + "".join(rng.sample(words.GIVEN, rng.randint(1, 2)))


DISCLAIMER = (
    "【版权与免责声明】 本页文字为基准测试自动生成，仅用于测量导入速度，"
    "不代表任何媒体的观点，所涉地点、数字与人物均为虚构。"
)


def portal_page(rng: random.Random, gaz: Gazetteer, number: int, published: datetime) -> str:
    """A saved portal news page (text), in the layout of the portal's 新闻详情 pages."""
    title, summary, body, keywords = article_text(rng, gaz, rng.randint(600, 2000))
    title = f"{title}（{number}）"
    paragraphs = body.replace("<h3>", "<p>").replace("</h3>", "</p>").split("</p>")
    lines = [f"  {p.removeprefix('<p>')}" for p in paragraphs if p.removeprefix("<p>")]
    stamp = f"{published.year}/{published.month}/{published.day} {published:%H:%M:%S}"
    category = rng.choice(words.CATEGORIES)
    byline = "、".join(person(rng) for _ in range(rng.randint(2, 3)))
    return "\n\n".join([
        "欢迎您来到绍兴写字楼网!",
        f"当前位置: 绍兴写字楼网 >> 新闻中心 >> {category} >> 新闻详情",
        title,
        f"绍兴写字楼网    来源:{rng.choice(words.SOURCES)}    {stamp}    ",
        f"导读: {summary}",
        "\n\n".join(lines) + f"\n  (原标题:{title} {byline})",
        f"编辑:{rng.choice(words.EDITORS)}",
        f"原标题:{summary[:40]}",
        ",".join(keywords),
        DISCLAIMER,
        "相关文章",
        "推荐楼盘",
    ])  # fmt: skip
