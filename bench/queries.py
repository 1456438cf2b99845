"""The searches the benchmark sends: varied, valid, and the same for every engine (seeded)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from urllib.parse import urlencode

from app.config import PER_PAGE
from app.models.listings import DECORATIONS, GRADES
from bench import Scale
from bench.synth import Gazetteer, TownInfo

CATEGORIES = ("filters", "keyword", "radius_2km", "radius_10km", "combined", "deep_page")
# Words tenants type: places (次坞), amenities (地铁) and fragments that cross words (纺城).
KEYWORDS = (
    "次坞", "地铁", "纺城", "轻纺城", "高铁", "甲级", "精装", "产业园", "商务中心", "金融",
    "湖景", "研发", "人才公寓", "电商", "店口", "柯桥", "直埠", "临杭", "软件", "停车",
)  # fmt: skip
DEEP_PAGES = (20, 50)  # within the first 1,000 results, which the app may cap its count at
# Narrow to broad: the map figure takes the first with at least scale.map_results results.
WIDE_RENT = {"rent_min": 0.6, "rent_max": 4.5}
MAP_CANDIDATES = (
    {"district": "越城区", "grade": "乙级", **WIDE_RENT},
    {"district": "诸暨市", "grade": "甲级", **WIDE_RENT},
    {"district": "上虞区", **WIDE_RENT},
    {"district": "诸暨市", "grade": "乙级", **WIDE_RENT},
    {"district": "柯桥区", **WIDE_RENT},
    {"district": "诸暨市", **WIDE_RENT},
    WIDE_RENT,
)


@dataclass
class Catalogue:
    """What queries are made of: the districts and towns that have buildings."""

    districts: list[str]
    towns: list[TownInfo]

    @classmethod
    def of(cls, gazetteer: Gazetteer) -> Catalogue:
        groups = gazetteer.towns_by_district.values()
        districts = [towns[0].district_name for towns in groups if towns]
        return cls(districts, [t for towns in groups for t in towns])


def path(params: dict) -> str:
    return "/listings/?" + urlencode(params)


@dataclass
class QueryMaker:
    """Draws search parameters from one seeded generator."""

    catalogue: Catalogue
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    def place(self) -> dict:
        if self.rng.random() < 0.5:
            return {"town": self.rng.choice(self.catalogue.towns).name}
        return {"district": self.rng.choice(self.catalogue.districts)}

    def extra(self, name: str) -> dict:
        rng = self.rng
        if name == "grade":
            return {"grade": rng.choice(GRADES)}
        if name == "rent":
            low = round(rng.uniform(0.6, 2.5), 1)
            return {"rent_min": low, "rent_max": round(low + rng.uniform(0.3, 2.0), 1)}
        if name == "area":
            low = rng.choice([50, 100, 200, 300, 500])
            return {"area_min": low, "area_max": low * rng.choice([2, 4, 8])}
        if name == "decoration":
            return {"decoration": rng.choice(DECORATIONS)}
        return {"deal": "rent" if rng.random() < 0.7 else "sale"}

    def extras(self, low: int, high: int) -> dict:
        names = self.rng.sample(
            ["grade", "rent", "area", "decoration", "deal"], self.rng.randint(low, high)
        )
        if "rent" in names and "deal" in names:
            names.remove("deal")  # a rent range already means deal=rent
        params: dict = {}
        for name in names:
            params.update(self.extra(name))
        return params

    def keyword(self) -> str:
        words = self.rng.sample(KEYWORDS, 2 if self.rng.random() < 0.2 else 1)
        return " ".join(words)

    def point(self) -> str:
        town = self.rng.choice(self.catalogue.towns)
        km = self.rng.uniform(0, 1.5)
        angle = self.rng.uniform(0, 2 * math.pi)
        lat = town.lat + km * math.cos(angle) / 111.2
        lon = town.lon + km * math.sin(angle) / (111.2 * math.cos(math.radians(town.lat)))
        return f"{lat:.5f},{lon:.5f}"

    def make(self, category: str) -> dict:
        if category == "filters":
            return {**self.place(), **self.extras(1, 3)}
        if category == "keyword":
            return {"q": self.keyword()}
        if category.startswith("radius_"):
            radius = int(category.removeprefix("radius_").removesuffix("km"))
            return {"near": self.point(), "radius_km": radius, "sort": "distance"}
        if category == "combined":
            near = {"near": self.point(), "radius_km": 5, "sort": "distance"}
            return {"q": self.keyword(), **self.extras(1, 2), **near}
        raise ValueError(category)

    def broad(self) -> dict:
        """A filter on buildings only, with many results, for the deep pages."""
        choice = self.rng.randint(0, 2)
        if choice == 0:
            return {"district": self.rng.choice(self.catalogue.districts)}
        if choice == 1:
            return {"grade": self.rng.choice(GRADES)}
        return {
            "district": self.rng.choice(self.catalogue.districts),
            "grade": self.rng.choice(GRADES),
        }


@dataclass
class Plan:
    """Every request the latency and load figures send."""

    latency: dict[str, list[str]]
    map_query: str
    map_results: int
    wrk_search: list[str]


def plan(scale: Scale, catalogue: Catalogue, count_of) -> Plan:
    """The queries of every category.

    `count_of(params)` is the number of buildings that really match a search on district,
    grade and rent (counted by the bench, since the app may cap its count).
    """
    maker = QueryMaker(catalogue, random.Random(scale.queries))
    latency = {c: [path(maker.make(c)) for _ in range(scale.queries)] for c in CATEGORIES[:-1]}
    latency["deep_page"] = _deep_pages(maker, scale.queries, count_of)
    map_query, results = _map_query(scale, count_of)
    wrk_maker = QueryMaker(catalogue, random.Random(1))
    wrk_search = [path({**wrk_maker.place(), **wrk_maker.extras(1, 2)}) for _ in range(20)]
    return Plan(latency, map_query, results, wrk_search)


def _deep_pages(maker: QueryMaker, n: int, count_of) -> list[str]:
    broad = [maker.broad() for _ in range(8)]
    pages = [max(1, math.ceil(count_of(params) / PER_PAGE)) for params in broad]
    paths = []
    for _ in range(n):
        i = maker.rng.randrange(len(broad))
        page = min(maker.rng.randint(*DEEP_PAGES), pages[i])
        paths.append(path({**broad[i], "page": page}))
    return paths


def _map_query(scale: Scale, count_of) -> tuple[str, int]:
    best = ("", -1)
    for params in MAP_CANDIDATES:
        total = count_of(params)
        if total >= scale.map_results:
            return urlencode(params), total
        if total > best[1]:
            best = (urlencode(params), total)
    return best
