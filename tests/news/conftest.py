"""Fixtures of the news tests: an editor, signed in."""

from __future__ import annotations

import pytest

from app.models import User
from tests.helpers import make_user, sign_in


@pytest.fixture
def editor(client) -> User:
    user = make_user("editor")
    sign_in(client, user)
    return user
