"""The JSON API keeps the promises of its OpenAPI description, served by the app itself."""

from __future__ import annotations

import json
import os

import schemathesis
from hypothesis import settings
from schemathesis.checks import positive_data_acceptance

from app.api.openapi import description
from tests.security import hostile

# The document as the code builds it; the first test proves the app serves exactly this.
# (schemathesis.pytest.from_fixture, the lazy loader, does not run under pytest 9.)
schema = schemathesis.openapi.from_dict(description())
# The WSGI transport does not undo gzip (Flask-Compress answers to Accept-Encoding).
PLAIN = {"Accept-Encoding": "identity"}


def test_the_app_serves_its_description(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.json == json.loads(json.dumps(description()))


@schema.parametrize()
@settings(hostile.RUN, max_examples=int(os.environ.get("API_EXAMPLES", "50")))
def test_the_api_conforms_to_its_description(case, app, world):
    """schemathesis: no 500, every answer documented and shaped as described."""
    hostile.TRIED[f"schemathesis {case.path}"] += 1
    # Every check but one: a value the schema allows may still be refused with the documented
    # 400 (a name that matches no place, rent_max below rent_min), which no JSON schema states.
    case.call_and_validate(app=app, headers=PLAIN, excluded_checks=[positive_data_acceptance])


REAL_QUERIES = [
    ({}, 200),
    ({"crs": "gcj02", "sort": "rent_asc", "deal": "rent"}, 200),
    ({"near": "次坞镇", "sort": "distance", "radius_km": "20"}, 200),
    ({"near": "29.95,120.12", "radius_km": "50", "page": "1"}, 200),
    ({"page": "999"}, 400),
    ({"q": "测试", "grade": "乙级", "area_min": "10", "area_max": "500"}, 200),
    ({"rent_min": "abc"}, 400),
    ({"rent_min": "5", "rent_max": "1"}, 400),
    ({"sort": "distance"}, 400),
    ({"near": "不存在的地方"}, 400),
    ({"crs": "bd09"}, 400),
    ({"q": "a\x00"}, 400),
]


def test_real_answers_match_the_description(client, demo_world):
    loaded = schemathesis.openapi.from_wsgi("/api/openapi.json", client.application)
    operation = loaded["/api/listings"]["GET"]
    for query, status in REAL_QUERIES:
        case = operation.Case(query=query)
        response = case.call(headers=PLAIN)
        assert response.status_code == status, (query, response.text[:300])
        case.validate_response(response)
        if status == 200:
            assert response.json()["type"] == "FeatureCollection"
    assert client.get("/api/listings").json["features"], "the demo has buildings on the map"


def test_the_description_names_every_parameter_the_api_reads(client):
    from app.listings.forms import SearchForm

    described = {
        p["name"]
        for p in client.get("/api/openapi.json").json["paths"]["/api/listings"]["get"]["parameters"]
    }
    assert described == {*SearchForm()._fields, "crs"}
