"""Fixtures of the agents' tests: the gazetteer, people in each role, a signed-in client."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.factories import AgentFactory, BuildingFactory, UserFactory
from tests.helpers import sign_in


@pytest.fixture
def gazetteer(app):
    """The demo places and parks (no buildings): what the offline geocoder and locate() read."""
    from app.demo import loader
    from app.demo.parks import PARKS
    from app.demo.places import PLACES

    places = loader.load_places(PLACES)
    loader.load_parks(PARKS, places)
    db.session.commit()
    return places


@pytest.fixture
def people(app) -> dict:
    """One user per role, plus the agent who owns `building` and another agent."""
    users = {
        "tenant": UserFactory(role="tenant"),
        "owner": AgentFactory(),
        "other_agent": AgentFactory(),
        "editor": UserFactory(role="editor"),
        "admin": UserFactory(role="admin"),
    }
    db.session.commit()
    return users


@pytest.fixture
def building(people):
    found = BuildingFactory(owner=people["owner"])
    db.session.commit()
    return found


@pytest.fixture
def as_owner(client, people):
    sign_in(client, people["owner"])
    return client
