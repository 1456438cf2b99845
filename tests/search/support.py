"""What the search tests share: reading results through the API and the engine, naming places."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.listings.search import Plan, plan, search
from app.listings.services import resolve_places
from app.models import Building, Place
from app.models.base import utcnow


def ids(client, query: str, status: int = 200) -> list[int]:
    """The building ids on the first result page of /api/listings?query, in order."""
    response = client.get(f"/api/listings?{query}")
    assert response.status_code == status, response.get_json()
    return [r["id"] for r in response.get_json()["results"]]


def total(client, query: str) -> int:
    return client.get(f"/api/listings?{query}").get_json()["total"]


def page_total(html: str) -> int:
    return int(re.search(r"共找到 <strong>(\d+)</strong>", html).group(1))


def building(name: str) -> Building:
    return db.session.scalar(select(Building).where(Building.name == name))


def place(name: str) -> Place:
    return db.session.scalar(select(Place).where(Place.name == name))


def pages(params: dict, per_page: int = 4) -> list[int]:
    """Every building id of every page of a search, in page order (through the engine, so no
    page cache is involved)."""
    first = search(params, per_page=per_page, map_limit=0)
    found = [c.building.id for c in first.cards]
    for page in range(2, first.pages + 1):
        result = search({**params, "page": page}, per_page=per_page, map_limit=0)
        found += [c.building.id for c in result.cards]
    return found


def planned(params: dict) -> Plan:
    """The plan of a search whose places all resolve."""
    places, errors = resolve_places(params)
    assert not errors
    return plan(params, places, utcnow())


def near_station(**params) -> dict:
    """Search values around 诸暨站, by its coordinates."""
    station = place("诸暨站")
    return {"near": f"{station.lat},{station.lon}", **params}
