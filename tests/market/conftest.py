"""Fixtures of the market's tests: the agents' people and signed-in owner."""

from tests.agents.conftest import as_owner, people  # noqa: F401
