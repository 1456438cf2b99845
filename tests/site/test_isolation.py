"""The fixtures keep tests and requests apart: each request has its own `g`, each test its own
database, copied from a template whether or not it holds the demo data."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Building
from tests.factories import BuildingFactory, UserFactory
from tests.helpers import sign_in


def test_what_a_request_keeps_in_g_is_gone_by_the_next_request(app, client):
    seen = []

    @app.get("/_probe")
    def probe():
        # A key no list of per-request values could know about in advance.
        seen.append(sorted(vars(g)))
        g.probe_left_behind = len(seen)
        return "ok"

    g.from_the_test = True
    assert client.get("/_probe").status_code == 200
    assert client.get("/_probe").status_code == 200
    assert seen == [[], []]
    assert vars(g) == {"from_the_test": True}  # the test's own `g` is its own, and kept


def test_a_request_signs_in_whoever_the_session_names_now(app, client):
    first, second = UserFactory(name="第一位"), UserFactory(name="第二位")
    db.session.commit()
    sign_in(client, first)
    assert "第一位" in client.get("/accounts/profile").get_data(as_text=True)
    sign_in(client, second)  # Flask-Login keeps the user in `g`: a stale one would show here
    page = client.get("/accounts/profile").get_data(as_text=True)
    assert "第二位" in page and "第一位" not in page


@pytest.mark.parametrize("turn", [1, 2])
def test_rows_a_test_writes_are_gone_in_the_next_test(app, turn):
    assert db.session.scalar(select(func.count()).select_from(Building)) == 0
    BuildingFactory()
    db.session.commit()


@pytest.mark.parametrize("turn", [1, 2])
def test_the_demo_data_is_whole_in_every_test_that_asks_for_it(demo, turn):
    assert demo.buildings > 0
    assert db.session.scalar(select(func.count()).select_from(Building)) == demo.buildings
    assert db.session.scalar(select(func.count()).where(Building.name == "改过的名字")) == 0
    db.session.execute(update(Building).values(name="改过的名字"))
    BuildingFactory()
    db.session.commit()
