"""Ways out of an empty result: loosened searches, a wider circle, nearby towns."""

from __future__ import annotations

import re

from sqlalchemy import event, select

from app.extensions import db
from app.geo.distance import km_between
from app.listings.search import nearby_towns
from app.models import Building, Place
from tests.search.support import page_total, place


def test_empty_result_suggests_loosening(client, demo):
    page = client.get("/listings/?town=次坞镇&rent_max=0.3").get_data(as_text=True)
    assert "没有找到符合条件的楼盘" in page
    assert "不限租金" in page


def test_empty_result_suggests_nearby_towns(client, demo):
    for b in db.session.scalars(select(Building).where(Building.town_id == place("次坞镇").id)):
        b.status = "hidden"
    db.session.commit()
    page = client.get("/listings/?town=次坞镇").get_data(as_text=True)
    assert page_total(page) == 0
    assert "看看附近的" in page
    suggested = re.findall(r"看看附近的(\w+)</a>（(\d+) 个楼盘）", page)
    assert suggested and all(int(n) > 0 for _, n in suggested)


def test_an_empty_results_ways_out_look_each_place_up_once(client, demo):
    """The loosened searches of an empty result name the same town, or nearby towns that were
    just loaded: the town is looked up once, and nothing else is."""
    lookups = []

    def count(conn, cursor, statement, parameters, *args):
        if "FROM place" in statement and "place.name =" in statement:
            lookups.append(str(parameters))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        page = client.get("/listings/?town=次坞镇&grade=甲级&rent_max=0.3").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert "不限租金" in page  # one of the ways out, each counted with the town
    assert len(lookups) == 1  # the nearby towns offered are the ones already loaded


def test_nearby_towns_are_the_nearest_by_great_circle(demo):
    town = place("次坞镇")
    others = db.session.scalars(select(Place).where(Place.kind == "town", Place.id != town.id))
    here = (town.lat, town.lon)
    nearest = sorted(others, key=lambda t: km_between(here, (t.lat, t.lon)))[:4]
    assert nearby_towns(town, limit=4) == nearest
