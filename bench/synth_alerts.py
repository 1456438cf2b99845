"""The subscribers of the synthetic market: tenants, their saved searches (with the last digest
each was sent), a day's pending hits of the daily ones, and 求租 requirements, spread like real
ones and drawn from one seeded `random.Random` (the same seed and scale give the same rows).

Saved searches name mostly one town or district, some a park, a few the whole region (some of
those with a keyword or a circle around a town); most bound the rent or the area the way tenants
do (a budget, a size band), some the grade or decoration; 25% are instant, 55% daily, 20%
weekly. Their condition columns come from the app's own `app.alerts.conditions.resolve`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace

from app.alerts.conditions import default_name, query_of, resolve
from app.models.listings import DECORATIONS
from bench import Scale
from bench.synth import DISTRICTS, GRADE_FACTOR, Gazetteer, TownInfo

COLUMNS = {
    "users": (
        "id", "email", "password_hash", "name", "role", "company", "mobile", "active",
        "created_at", "email_verified_at", "session_version", "intro", "photo", "phone_reveals",
    ),
    "saved_search": (
        "id", "user_id", "name", "params", "frequency", "paused", "token", "created_at",
        "last_sent_at", "place_key", "district_id", "town_id", "park_id", "deal", "rent_min",
        "rent_max", "area_min", "area_max", "grade", "decoration", "keyword", "lat", "lon",
        "radius_km",
    ),
    "search_hit": (
        "id", "saved_search_id", "unit_id", "building_id", "kind", "price", "old_price",
        "created_at", "sent_at",
    ),
    "requirement": (
        "id", "user_id", "name", "mobile", "email", "note", "area_min", "area_max",
        "budget_min", "budget_max", "budget_unit", "grade", "move_in", "anywhere", "status",
        "token", "created_at", "expires_at", "closed_at",
    ),
    "requirement_place": ("id", "requirement_id", "place_id", "park_id"),
    "outbound_email": (
        "id", "key", "to", "subject", "kind", "body_text", "body_html", "headers", "status",
        "attempts", "last_error", "created_at", "claimed_at", "sent_at",
    ),
}  # fmt: skip
# The size bands tenants search by (㎡), and the words they type.
AREAS = (
    (50, 100), (80, 150), (100, 200), (150, 300), (200, 400), (300, 500), (400, 800),
    (500, 1000), (800, 1500), (1000, 2000),
)  # fmt: skip
KEYWORDS = ("地铁", "高铁", "轻纺城", "可注册公司", "湖景", "直租", "整层", "食堂")
SEARCHES_PER_USER = 4  # on average; a user keeps at most 50
# What the tenants' accounts hold for a password: no hash of any, so nobody signs in with them.
NO_SIGN_IN = "!"


@dataclass
class Market:
    """What the generated buildings give the subscribers: each town's buildings, and each
    building's first unit id and unit count (units are numbered building after building)."""

    buildings_by_town: dict[int, list[int]] = field(default_factory=dict)
    first_unit: dict[int, int] = field(default_factory=dict)
    unit_count: dict[int, int] = field(default_factory=dict)

    def add(self, buildings: list[tuple], units: list[tuple]) -> None:
        """A batch of generated buildings and their units (bench.synth.BuildingBatch)."""
        for building in buildings:
            bid, town_id = building[0], building[7]
            self.buildings_by_town.setdefault(town_id, []).append(bid)
        for unit in units:
            bid = unit[1]
            self.first_unit.setdefault(bid, unit[0])
            self.unit_count[bid] = self.unit_count.get(bid, 0) + 1


@dataclass
class Batch:
    rows: dict[str, list[tuple]] = field(default_factory=dict)

    def add(self, table: str, row: tuple) -> None:
        self.rows.setdefault(table, []).append(row)


class Subscribers:
    """The subscribers of one scale, drawn from one seeded random generator."""

    def __init__(self, scale: Scale, gazetteer: Gazetteer, market: Market, now: datetime, seed):
        self.scale = scale
        self.gaz = gazetteer
        self.market = market
        self.now = now
        self.rng = random.Random(seed)
        self.districts = [s for s in DISTRICTS if gazetteer.towns_by_district[s]]
        self.weights = [DISTRICTS[s].weight for s in self.districts]
        self.first_user = gazetteer.owner_id + 1
        self.users = max(1, scale.saved_searches // SEARCHES_PER_USER)
        self.hit_id = 0
        self.email_id = 0

    def _ago(self, days_low: float, days_high: float) -> datetime:
        return self.now - timedelta(seconds=round(self.rng.uniform(days_low, days_high) * 86400))

    def batches(self, size: int = 5000) -> Iterator[Batch]:
        """Users first, then saved searches (with the daily ones' hits), then requirements."""
        batch = Batch()
        for i in range(self.users):
            batch.add("users", self._user(self.first_user + i))
            if len(batch.rows["users"]) >= size:
                yield batch
                batch = Batch()
        yield batch
        batch = Batch()
        for sid in range(1, self.scale.saved_searches + 1):
            self._search(batch, sid)
            if len(batch.rows["saved_search"]) >= size:
                yield batch
                batch = Batch()
        yield batch
        batch = Batch()
        place_id = 0
        for rid in range(1, self.scale.requirements + 1):
            place_id = self._requirement(batch, rid, place_id)
        yield batch

    # -- rows ----------------------------------------------------------------------------

    def _user(self, uid: int) -> tuple:
        created = self._ago(30, 700)
        return (
            uid, f"tenant{uid}@bench.example", NO_SIGN_IN, f"租户{uid}", "tenant", None,
            None, True, created, created + timedelta(minutes=5), 0, "", None, 0,
        )  # fmt: skip

    def _town(self) -> tuple[str, TownInfo]:
        slug = self.rng.choices(self.districts, self.weights)[0]
        return slug, self.rng.choice(self.gaz.towns_by_district[slug])

    def _query(self) -> tuple[dict, dict]:
        """A search as a tenant makes it, and the places it names (as resolve_places would)."""
        rng = self.rng
        slug, town = self._town()
        query: dict = {}
        places: dict = {}
        where = rng.random()
        if where < 0.80 and where >= 0.60:
            query["district"] = town.district_name
            places["district"] = SimpleNamespace(id=town.district_id)
        elif where < 0.92 and where >= 0.80 and town.parks:
            park = rng.choice(town.parks)
            query["park"] = park.name
            places["park"] = SimpleNamespace(id=park.id)
        elif where < 0.92:  # a town (a park's share too, where the town has none)
            query["town"] = town.name
            places["town"] = SimpleNamespace(id=town.id)
        elif where < 0.95:
            query["near"] = town.name
            query["radius_km"] = float(rng.choice([2, 3, 5, 10]))
            places["origin"] = SimpleNamespace(lat=town.lat, lon=town.lon)
        elif where < 0.97 or rng.random() < 0.05:
            query["q"] = rng.choice(KEYWORDS)
        # else the whole region
        kind = rng.random()
        if kind < 0.65:
            base = DISTRICTS[slug].rent_base * GRADE_FACTOR[rng.choice(["甲级", "乙级", "丙级"])]
            query["rent_max"] = round(base * rng.uniform(0.9, 1.4), 1)
            if rng.random() < 0.4:
                query["rent_min"] = round(query["rent_max"] * rng.uniform(0.5, 0.8), 1)
        elif kind < 0.75:
            query["deal"] = "sale"
        if rng.random() < 0.8:
            query["area_min"], query["area_max"] = (float(a) for a in rng.choice(AREAS))
        if rng.random() < 0.4:
            query["grade"] = rng.choice(["甲级", "乙级", "丙级"])
        if rng.random() < 0.25:
            query["decoration"] = rng.choice(DECORATIONS)
        return query_of(query), places

    def _search(self, batch: Batch, sid: int) -> None:
        rng = self.rng
        query, places = self._query()
        frequency = rng.choices(["instant", "daily", "weekly"], [25, 55, 20])[0]
        created = self._ago(1, 365)
        last_sent = None
        if frequency != "instant" and rng.random() < 0.8:  # due: sent before the last period
            last_sent = self._ago(1.2, 2) if frequency == "daily" else self._ago(7.2, 9)
        conditions = resolve(query, places).columns()
        row = {
            "id": sid,
            "user_id": self.first_user + rng.randrange(self.users),
            "name": default_name(query),
            "params": query,  # JSON: the writers store it as the app does
            "frequency": frequency,
            "paused": rng.random() < 0.05,
            "token": f"{sid:010d}{rng.getrandbits(160):040x}"[:43],
            "created_at": created,
            "last_sent_at": last_sent,
            **conditions,
        }
        batch.add("saved_search", tuple(row[c] for c in COLUMNS["saved_search"]))
        if last_sent is not None:
            # Its last digest, as a production database keeps it: what a new email's key is
            # checked against (and what PostgreSQL's statistics know of the table).
            self.email_id += 1
            batch.add(
                "outbound_email",
                (
                    self.email_id, f"alert-history:{sid}", f"tenant{row['user_id']}@bench.example",
                    f"订阅“{row['name']}”：新房源", "alert", "…", "<p>…</p>", None, "sent", 1, None,
                    last_sent, last_sent, last_sent,
                ),
            )  # fmt: skip
        if frequency == "daily" and rng.random() < 0.5:
            self._hits(batch, sid, query, places)

    def _hits(self, batch: Batch, sid: int, query: dict, places: dict) -> None:
        """A day's pending hits of a daily search: units of its town where it names one."""
        rng = self.rng
        count = rng.choice([1, 1, 1, 2, 2, 3, 4, 6, 8, 12])
        town = places.get("town")
        pool = self.market.buildings_by_town.get(town.id) if town else None
        if not pool:
            pool = rng.choice(list(self.market.buildings_by_town.values()))
        taken: set[int] = set()
        for _ in range(count):
            bid = rng.choice(pool)
            if bid not in self.market.first_unit:
                continue
            unit = self.market.first_unit[bid] + rng.randrange(self.market.unit_count[bid])
            if unit in taken:
                continue
            taken.add(unit)
            price = round(rng.uniform(0.8, 3.5), 2)
            drop = rng.random() < 0.15
            self.hit_id += 1
            batch.add(
                "search_hit",
                (
                    self.hit_id, sid, unit, bid, "drop" if drop else "new", price,
                    round(price * 1.1, 2) if drop else None, self._ago(0, 1), None,
                ),
            )  # fmt: skip

    def _requirement(self, batch: Batch, rid: int, place_id: int) -> int:
        rng = self.rng
        created = self._ago(0, 29)
        low, high = rng.choice(AREAS)
        monthly = rng.random() < 0.2
        slug, town = self._town()
        budget = DISTRICTS[slug].rent_base * rng.uniform(0.9, 1.5)
        if monthly:
            budget = round(budget * (low + high) / 2 * 30, -2)
        names = rng.random() > 0.1
        batch.add(
            "requirement",
            (
                rid, None, f"求租人{rid}", f"13{rng.randrange(10**9):09d}",
                f"qiuzu{rid}@bench.example", "", float(low), float(high), None,
                round(budget, 1), "month" if monthly else "day",
                rng.choice(["甲级", "乙级", None, None]),
                (self.now + timedelta(days=rng.randint(0, 180))).date().replace(day=1),
                not names, "open", f"r{rid:09d}{rng.getrandbits(160):040x}"[:43], created,
                created + timedelta(days=30), None,
            ),
        )  # fmt: skip
        if names:
            chosen = {town.id: None}
            for _ in range(rng.choice([0, 0, 1, 2])):
                _, other = self._town()
                chosen[other.id] = None
            if town.parks and rng.random() < 0.2:
                park = rng.choice(town.parks)
                place_id += 1
                batch.add("requirement_place", (place_id, rid, None, park.id))
            for town_id in chosen:
                place_id += 1
                batch.add("requirement_place", (place_id, rid, town_id, None))
        return place_id
