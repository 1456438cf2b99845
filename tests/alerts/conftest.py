"""Fixtures of the saved-search tests: the gazetteer's places, a verified tenant, buildings
placed in a town (and park), and saved searches made through the service the views call."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.alerts import services
from app.extensions import db
from app.models import Building, Park, SavedSearch, SearchHit
from app.models.base import utcnow
from tests.factories import AgentFactory, BuildingFactory, UnitFactory, UserFactory
from tests.mail.conftest import _rq, rq_worker  # noqa: F401  (the RQ queue and its worker)


@pytest.fixture
def places(gazetteer) -> dict:
    """The gazetteer's places and the demo parks, by slug (parks under their own slugs)."""
    found = dict(gazetteer)
    for park in db.session.scalars(select(Park)):
        found[f"park:{park.slug}"] = park
    return found


@pytest.fixture
def tenant(app):
    """A tenant whose address is verified: alerts are emailed to verified addresses only."""
    user = UserFactory(name="陈先生", email="chen@tenant.example", email_verified_at=utcnow())
    db.session.commit()
    return user


@pytest.fixture
def agent(app):
    user = AgentFactory(name="张经纪", email="zhang@agents.example")
    db.session.commit()
    return user


def save(user, frequency: str = "daily", name: str = "", **query) -> SavedSearch:
    """Save the /listings/ query `query` for `user`, committed."""
    args = MultiDict({k: str(v) for k, v in query.items()})
    search = services.save(user, services.check_query(args), name, frequency)
    db.session.commit()
    return search


def building_in(places: dict, town: str, park: str | None = None, **values) -> Building:
    """A building in a town of the gazetteer (and one of its parks), at the town's point."""
    place = places[town]
    district = place.parent
    while district is not None and district.kind != "district":
        district = district.parent
    located = places[f"park:{park}"] if park else None
    defaults = {
        "town_id": place.id,
        "district_id": district.id if district else None,
        "park_id": located.id if located else None,
        "lat": place.lat,
        "lon": place.lon,
        "status": "published",
    }
    return BuildingFactory(**{**defaults, **values})


def unit_in(building: Building, **values):
    return UnitFactory(building=building, **values)


def hits(search: SavedSearch | None = None) -> list[tuple]:
    """(search id, unit id, kind, price, old price) of the stored hits, in id order."""
    query = select(
        SearchHit.saved_search_id,
        SearchHit.unit_id,
        SearchHit.kind,
        SearchHit.price,
        SearchHit.old_price,
    ).order_by(SearchHit.id)
    if search is not None:
        query = query.where(SearchHit.saved_search_id == search.id)
    db.session.expire_all()
    return [tuple(row) for row in db.session.execute(query)]
