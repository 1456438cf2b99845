"""Authorization as a matrix: every write route, tried as each role, takes effect exactly for the
roles allowed, and a refused request changes nothing."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.security.conftest import ROLES
from tests.security.routes import WRITES, all_writes, fill, form_data, urls_for, write_rules


def snapshot() -> str:
    """Every row of every table, as one comparable text."""
    rows = []
    for table in db.metadata.sorted_tables:
        query = table.select().order_by(*table.primary_key.columns)
        rows.append((table.name, [tuple(r) for r in db.session.execute(query)]))
    return repr(rows)


def test_every_write_route_has_an_explicit_rule(app, world):
    """A new write route fails here until it joins the table in routes.py (or tests/agents)."""
    table = {fill(write.url, world.ids): write for write in all_writes().values()}
    for rule in write_rules(app):
        for url in urls_for(rule, world.ids):
            assert url in table, f"{rule.endpoint} ({url}) has no allowed-roles entry"
            assert table[url].allowed <= set(ROLES) and table[url].allowed, url


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(WRITES))
def test_write_route_takes_effect_only_for_allowed_roles(client, world, name, role):
    write = WRITES[name]
    world.sign_in(client, role)
    read = write.effect or (lambda _client: snapshot())
    before, rows = read(client), snapshot()
    response = client.post(
        fill(write.url, world.ids),
        data=form_data(write, world.ids),
        content_type="multipart/form-data",
    )
    db.session.expire_all()
    location = response.headers.get("Location", "")
    if role in write.allowed:
        assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]
        assert not location.startswith("/accounts/login")
        assert read(client) != before
        return
    expected = write.refusal(role)
    if expected == "login":
        assert response.status_code == 302 and location.startswith("/accounts/login")
    else:
        assert response.status_code == expected
    assert read(client) == before
    assert snapshot() == rows
