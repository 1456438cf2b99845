"""Fixtures of the agents' tests: people in each role, a building, a signed-in owner."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.factories import AgentFactory, BuildingFactory, UserFactory
from tests.helpers import sign_in


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
