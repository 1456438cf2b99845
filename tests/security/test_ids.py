"""Ids in URLs: out of the database's range, or written in other scripts' digits, name nothing
(404), as an unknown id does; never a 500."""

from __future__ import annotations

import pytest

from tests.security.routes import get_rules

TOO_BIG = str(2**31)  # past PostgreSQL's INTEGER; 2**63 and more failed on SQLite too
NOT_ASCII = ("１", "٣", "১২")  # full-width, Arabic-Indic and Bengali digits


def id_rules(app) -> list:
    return [r for r in get_rules(app) if "<int:" in r.rule and r.rule.count("<") == 1]


def test_every_id_route_refuses_ids_out_of_range_and_foreign_digits(app, client, demo):
    rules = id_rules(app)
    assert len(rules) >= 5
    for rule in rules:
        for bad in (TOO_BIG, str(2**63), "9" * 40, *NOT_ASCII):
            url = rule.rule.split("<")[0] + bad + rule.rule.split(">", 1)[1]
            response = client.get(url)
            assert response.status_code == 404, (url, response.status_code)


@pytest.mark.parametrize("path", ["/news/{}", "/listings/{}"])
def test_the_largest_id_is_an_ordinary_miss(client, demo, path):
    assert client.get(path.format(2**31 - 1)).status_code == 404
    assert client.get(path.format(1)).status_code == 200
