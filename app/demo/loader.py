"""Load the demo gazetteer, parks, buildings, units and articles; loading twice changes nothing."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Article,
    Building,
    BuildingStatus,
    Park,
    Place,
    PlaceKind,
    Role,
    Unit,
    UnitStatus,
    User,
)
from app.models.base import utcnow
from app.models.listings import DECORATIONS

DEMO_AGENT_EMAIL = "agent@demo.example"
DEMO_ADMIN_EMAIL = "admin@demo.example"


@dataclass
class Counts:
    places: int
    parks: int
    buildings: int
    units: int
    articles: int


def counts() -> Counts:
    def n(model) -> int:
        return db.session.scalar(select(func.count()).select_from(model))

    return Counts(n(Place), n(Park), n(Building), n(Unit), n(Article))


def is_empty() -> bool:
    return db.session.scalar(select(func.count()).select_from(Building)) == 0


def _upsert(model, key: dict, values: dict):
    row = db.session.scalar(select(model).filter_by(**key))
    if row is None:
        row = model(**key)
        db.session.add(row)
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
    return row


def load_places(places: list[dict]) -> dict[str, Place]:
    """Upsert places given as records (the gazetteer's and the demo's), by code, else slug."""
    from app.places.gazetteer import upsert_places

    return upsert_places(places).by_slug


def load_parks(parks: list[dict], places: dict[str, Place]) -> dict[str, Park]:
    by_slug: dict[str, Park] = {}
    for item in parks:
        boundary = item.get("boundary")
        place = _upsert(
            Place,
            {"slug": item["slug"]},
            {
                "name": item["name"],
                "kind": PlaceKind.PARK,
                "aliases": list(item.get("aliases", [])),
                "lat": item["lat"],
                "lon": item["lon"],
                "precision": item.get("precision", "approximate"),
                "parent": places[item["town"]],
                "boundary": {"type": "Polygon", "coordinates": [boundary]} if boundary else None,
            },
        )
        places[item["slug"]] = place
        by_slug[item["slug"]] = _upsert(
            Park,
            {"slug": item["slug"]},
            {
                "place": place,
                "kind": item["kind"],
                "description": item["description"],
                "industries": item["industries"],
                "operator": item["operator"],
                # Only a park's own record sets how far it reaches beyond its boundary.
                "radius_km": item.get("radius_km"),
            },
        )
    db.session.flush()
    return by_slug


def demo_users() -> tuple[User, User]:
    password = os.environ.get("DEMO_PASSWORD", "demo-pass-2026")
    users = []
    for email, name, role in (
        (DEMO_AGENT_EMAIL, "王经理（演示经纪人）", Role.AGENT),
        (DEMO_ADMIN_EMAIL, "演示管理员", Role.ADMIN),
    ):
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, name=name, role=role, company="演示置业", mobile="13800000000")
            user.set_password(password)
            db.session.add(user)
        users.append(user)
    db.session.flush()
    return users[0], users[1]


def _units_for(item: dict) -> list[Unit]:
    """Units invented from the building's base rent, the same every time for the same building."""
    rng = random.Random(item["slug"])
    floors = item.get("floors") or 10
    units = []
    for i in range(item["units"]):
        sale = item.get("sale") and i == item["units"] - 1
        area = float(rng.choice([60, 85, 120, 150, 200, 260, 320, 450, 600, 880, 1200]))
        units.append(
            Unit(
                deal="sale" if sale else "rent",
                floor=rng.randint(2, max(2, floors)),
                area_m2=area,
                rent_per_m2_day=None
                if sale
                else round(item["rent_base"] * rng.uniform(0.85, 1.2), 2),
                price_per_m2=round(item["rent_base"] * rng.uniform(4200, 5600), -1)
                if sale
                else None,
                decoration=rng.choice(DECORATIONS),
                status=rng.choices(
                    [UnitStatus.AVAILABLE, UnitStatus.RESERVED, UnitStatus.LEASED],
                    weights=[8, 1, 1],
                )[0],
                confirmed_at=utcnow() - timedelta(days=rng.randint(0, 20)),
            )
        )
    return units


def load_buildings(
    buildings: list[dict], places: dict[str, Place], parks: dict[str, Park], owner: User
) -> None:
    for item in buildings:
        town = places[item["town"]]
        building = _upsert(
            Building,
            {"name": item["name"], "owner_id": owner.id},
            {
                "address": item["address"],
                "lat": item["lat"],
                "lon": item["lon"],
                "point_source": "demo",
                "point_precision": "approximate",
                "town": town,
                "town_fixed": bool(item.get("town_fixed")),
                "district": town.ancestor(PlaceKind.DISTRICT),
                "park": parks.get(item["park"]) if item.get("park") else None,
                "grade": item["grade"],
                "floors": item["floors"],
                "year_built": item["year"],
                "property_fee": item["property_fee"],
                "efficiency_pct": item["efficiency"],
                "description": item["description"],
                "featured": item["featured"],
                "status": BuildingStatus.PUBLISHED,
            },
        )
        if not building.units:
            building.units = _units_for(item)
    db.session.flush()


def load_articles(articles: list[dict]) -> list[Article]:
    from app.news.linker import link_articles
    from app.news.sanitize import clean_html

    rows = []
    for item in articles:
        rows.append(
            _upsert(
                Article,
                {"import_key": f"demo:{item['slug']}"},
                {
                    "title": item["title"],
                    "category": item["category"],
                    "source": item["source"],
                    "published_at": datetime.fromisoformat(item["published"]),
                    "summary": item["summary"],
                    "body": clean_html(item["body"]),
                    "editor": item["editor"],
                    "keywords": ",".join(item["keywords"]),
                    "status": "published",
                },
            )
        )
    db.session.flush()
    link_articles(rows)
    return rows


DEMO_HISTORY_SEED = 19


def load_history() -> None:
    """24 months of invented rent history for the units that have none (the same every load of
    a day: times count back from today's midnight), and the rollups that follow from it."""
    from app.market import rebuild, synth

    today = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    synth.write_demo_history(db.session, DEMO_HISTORY_SEED, today)
    rebuild.rebuild(db.session)


def load() -> Counts:
    """Load all demo data and commit it as one transaction; return the resulting counts."""
    from app.market import history

    # The demo writes its own history (load_history), not the events of its units' creation.
    db.session.info[history.OFF] = True
    try:
        _load()
        db.session.commit()
    finally:
        db.session.info.pop(history.OFF, None)
    return counts()


def _load() -> None:
    from app.demo.articles import ARTICLES
    from app.demo.buildings import BUILDINGS
    from app.demo.parks import PARKS
    from app.demo.places import DEMO_PLACES
    from app.places import gazetteer

    # The reference gazetteer first, through the loader of `flask places load`.
    loaded = gazetteer.load()
    places = gazetteer.upsert_places(DEMO_PLACES, known=loaded.by_slug).by_slug
    parks = load_parks(PARKS, places)
    agent, _admin = demo_users()
    load_buildings(BUILDINGS, places, parks, agent)
    load_articles(ARTICLES)
    if loaded.touched:
        gazetteer.refresh_dependents()
    db.session.flush()
    load_history()
