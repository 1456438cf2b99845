"""/api/market: every place's figures as JSON, a place's trend on request, as described."""

from __future__ import annotations

import schemathesis
from sqlalchemy import select

from app.extensions import db
from app.market import figures
from app.market.figures import MONTHS
from app.models import Place

PLAIN = {"Accept-Encoding": "identity"}


def described(client):
    loaded = schemathesis.openapi.from_wsgi("/api/openapi.json", client.application)
    return loaded["/api/market"]["GET"]


def test_every_place_with_its_kind_parent_and_figures(client, demo):
    response = client.get("/api/market")
    assert response.status_code == 200 and response.mimetype == "application/json"
    places = response.json["places"]
    assert "place" not in response.json
    by_slug = {p["slug"]: p for p in places}
    assert by_slug["shaoxing"]["kind"] == "city" and by_slug["shaoxing"]["parent"] is None
    assert by_slug["zhuji"] == {**by_slug["zhuji"], "kind": "district", "parent": "shaoxing"}
    assert by_slug["ciwu"]["kind"] == "town" and by_slug["ciwu"]["parent"] == "zhuji"
    assert {p["kind"] for p in places} == {"city", "district", "town", "park"}
    ciwu = db.session.scalar(select(Place).where(Place.slug == "ciwu"))
    now = figures.for_place(ciwu.id)
    assert by_slug["ciwu"]["figures"]["rental_units"] == now.rental_units
    assert by_slug["ciwu"]["figures"]["rent_median"] == now.rent_median
    assert set(by_slug["ciwu"]["figures"]) == {
        "rental_units",
        "rental_area",
        "rent_p25",
        "rent_median",
        "rent_p75",
        "sale_units",
        "sale_median",
        "new_30d",
        "let_30d",
        "days_on_market",
    }


def test_a_place_adds_its_trend_month_by_month(client, demo):
    response = client.get("/api/market?place=zhuji")
    assert response.status_code == 200
    chosen = response.json["place"]
    assert chosen["slug"] == "zhuji" and chosen["name"] == "诸暨市"
    assert len(chosen["trend"]) == MONTHS
    months = [point["month"] for point in chosen["trend"]]
    assert months == sorted(months) and len(set(months)) == MONTHS
    zhuji = db.session.scalar(select(Place).where(Place.slug == "zhuji"))
    assert chosen["trend"][-1]["rent_median"] == figures.for_place(zhuji.id).rent_median


def test_a_park_is_a_place_too(client, demo):
    response = client.get("/api/market")
    park = next(p for p in response.json["places"] if p["kind"] == "park")
    trend = client.get(f"/api/market?place={park['slug']}")
    assert trend.status_code == 200 and trend.json["place"]["slug"] == park["slug"]


def test_an_unknown_place_is_a_400_in_chinese(client, demo):
    response = client.get("/api/market?place=nowhere")
    assert response.status_code == 400
    assert response.json["error"] == "参数无效"
    assert "没有这个地点" in response.json["errors"]["place"][0]


def test_real_answers_match_the_description(client, demo):
    operation = described(client)
    for query, status in [({}, 200), ({"place": "ciwu"}, 200), ({"place": "x"}, 400)]:
        case = operation.Case(query=query)
        response = case.call(headers=PLAIN)
        assert response.status_code == status, (query, response.text[:300])
        case.validate_response(response)
