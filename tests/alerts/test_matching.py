"""Matching at commit time: which units a saved search reports, as new or as a price drop, and
that each is reported once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import jobs
from app.alerts import changes, commands, matching
from app.extensions import db
from app.listings import fulltext
from app.models.base import utcnow
from tests.alerts.conftest import building_in, hits, save, unit_in


def test_a_unit_published_in_a_matching_town_is_reported_once(places, tenant):
    ciwu = save(tenant, town="次坞镇")
    diankou = save(tenant, town="店口镇")
    building = building_in(places, "ciwu", status="draft")
    unit = unit_in(building, rent_per_m2_day=1.4)
    db.session.commit()
    assert hits() == [], "a draft building's unit is public to nobody"

    building.status = "published"
    db.session.commit()
    assert hits(ciwu) == [(ciwu.id, unit.id, "new", 1.4, None)]
    assert hits(diankou) == []

    # Withdrawn and published again at the same rent: nothing new to report.
    building.status = "draft"
    db.session.commit()
    building.status = "published"
    db.session.commit()
    assert len(hits(ciwu)) == 1


def test_a_unit_added_to_a_published_building_is_reported(places, tenant):
    search = save(tenant, district="诸暨市", rent_max=2)
    building = building_in(places, "diankou")
    db.session.commit()
    cheap = unit_in(building, rent_per_m2_day=2.0)  # the bound is inclusive
    unit_in(building, rent_per_m2_day=2.01)
    unit_in(building, deal="sale", rent_per_m2_day=None, price_per_m2=9000)
    db.session.commit()
    assert [h[1] for h in hits(search)] == [cheap.id]


def test_a_unit_available_again_or_changed_into_range_is_new_an_edit_that_still_matches_is_not(
    places, tenant
):
    search = save(tenant, town="次坞镇", area_min=100, area_max=200)
    building = building_in(places, "ciwu")
    leased = unit_in(building, area_m2=150, status="leased")
    small = unit_in(building, area_m2=80)
    db.session.commit()
    assert hits(search) == []

    leased.status = "available"
    db.session.commit()
    assert [h[1] for h in hits(search)] == [leased.id]

    small.area_m2 = 120
    db.session.commit()
    assert [h[1] for h in hits(search)] == [leased.id, small.id]

    small.floor = 9  # not a tested column: nothing noted, nothing reported
    small.area_m2 = 130  # still in range: it matched before
    db.session.commit()
    assert len(hits(search)) == 2


def test_an_expired_unit_confirmed_again_is_new_a_fresh_one_confirmed_is_not(places, tenant):
    search = save(tenant, town="次坞镇")
    building = building_in(places, "ciwu")
    fresh = unit_in(building)
    old = unit_in(building, confirmed_at=utcnow() - timedelta(days=120))
    db.session.commit()
    assert [h[1] for h in hits(search)] == [fresh.id]

    fresh.confirmed_at = utcnow()
    old.confirmed_at = utcnow()  # back in the search after 120 days
    db.session.commit()
    assert [h[1] for h in hits(search)] == [fresh.id, old.id]


def test_a_price_drop_is_reported_with_both_prices_a_rise_is_not(places, tenant):
    search = save(tenant, town="次坞镇", rent_max=3)
    building = building_in(places, "ciwu")
    unit = unit_in(building, rent_per_m2_day=2.5)
    db.session.commit()
    unit.rent_per_m2_day = 2.8
    db.session.commit()
    unit.rent_per_m2_day = 2.2
    db.session.commit()
    assert hits(search) == [
        (search.id, unit.id, "new", 2.5, None),
        (search.id, unit.id, "drop", 2.2, 2.8),
    ]


def test_a_sale_price_drop_is_reported(places, tenant):
    search = save(tenant, town="次坞镇", deal="sale")
    building = building_in(places, "ciwu")
    unit = unit_in(building, deal="sale", rent_per_m2_day=None, price_per_m2=12000)
    db.session.commit()
    unit.price_per_m2 = 11000
    db.session.commit()
    assert [(h[2], h[3], h[4]) for h in hits(search)] == [
        ("new", 12000, None),
        ("drop", 11000, 12000),
    ]


def test_a_drop_that_brings_a_unit_into_range_is_reported_as_a_drop(places, tenant):
    search = save(tenant, town="次坞镇", rent_max=2)
    building = building_in(places, "ciwu")
    unit = unit_in(building, rent_per_m2_day=2.4)
    db.session.commit()
    assert hits(search) == []
    unit.rent_per_m2_day = 1.9
    db.session.commit()
    assert hits(search) == [(search.id, unit.id, "drop", 1.9, 2.4)]


def test_places_district_town_park_and_the_region(places, tenant):
    region = save(tenant)
    district = save(tenant, district="诸暨市")
    town = save(tenant, town="次坞镇")
    park = save(tenant, park="次坞镇临杭产业园")
    both = save(tenant, district="柯桥区", town="次坞镇")  # never: 次坞 is not in 柯桥
    in_park = unit_in(building_in(places, "ciwu", park="ciwu-linhang-park"))
    in_town = unit_in(building_in(places, "ciwu"))
    elsewhere = unit_in(building_in(places, "diankou"))
    outside = unit_in(building_in(places, "keyan"))
    db.session.commit()

    def units(search):
        return {h[1] for h in hits(search)}

    assert units(region) == {in_park.id, in_town.id, elsewhere.id, outside.id}
    assert units(district) == {in_park.id, in_town.id, elsewhere.id}
    assert units(town) == {in_park.id, in_town.id}
    assert units(park) == {in_park.id}
    assert units(both) == set()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"grade": "甲级"}, {"a_fine"}),
        ({"decoration": "毛坯"}, {"b_bare"}),
        ({"area_min": 100, "area_max": 150}, {"a_fine"}),  # 100 and 150 both in
        ({"rent_min": 1.5}, {"b_bare"}),
        ({"deal": "sale"}, {"sale"}),
        ({"deal": "rent"}, {"a_fine", "b_bare"}),
    ],
)
def test_ranges_and_kinds(places, tenant, query, expected):
    search = save(tenant, town="次坞镇", **query)
    a = building_in(places, "ciwu", grade="甲级")
    b = building_in(places, "ciwu", grade="乙级")
    named = {
        "a_fine": unit_in(a, area_m2=150, rent_per_m2_day=1.2, decoration="精装"),
        "b_bare": unit_in(b, area_m2=300, rent_per_m2_day=1.5, decoration="毛坯"),
        "sale": unit_in(b, deal="sale", area_m2=99, rent_per_m2_day=None, price_per_m2=9000),
    }
    db.session.commit()
    by_id = {u.id: name for name, u in named.items()}
    assert {by_id[h[1]] for h in hits(search)} == expected


def test_a_keyword_matches_the_buildings_text_as_the_search_does(places, tenant):
    metro = save(tenant, q="地铁")
    two = save(tenant, q="地铁 甲级")
    generic = save(tenant, q="写字楼")  # a word every building answers to: no condition
    near = building_in(places, "ciwu", description="步行五分钟到地铁站", grade="乙级")
    far = building_in(places, "ciwu", description="临近高速出口", grade="甲级")
    db.session.commit()
    unit_near, unit_far = unit_in(near), unit_in(far)
    db.session.commit()
    assert {h[1] for h in hits(metro)} == {unit_near.id}
    assert hits(two) == []
    assert {h[1] for h in hits(generic)} == {unit_near.id, unit_far.id}


@pytest.mark.parametrize(
    "q", ["地铁", "铁站", "地铁站 五分钟", "乙级", "高速出口", "次坞", "精装 出租", "xyz"]
)
def test_the_keyword_test_agrees_with_the_full_text_index(places, q):
    ids = []
    for text in ("步行五分钟到地铁站", "临近高速出口", "次坞大道旁 XYZ 科技园"):
        ids.append(building_in(places, "ciwu", description=text).id)
    db.session.commit()
    for building_id in ids:
        body = matching.building_text(db.session, building_id)
        expected = building_id in fulltext.matching_among(db.session, q, [building_id])
        assert matching.keyword_matches(body, q) == expected, (q, building_id)


def test_a_distance_search_measures_as_the_search_does(places, tenant):
    ciwu = places["ciwu"]
    default = save(tenant, near="次坞镇")  # 5 km
    wide = save(tenant, near=f"{ciwu.lat},{ciwu.lon}", radius_km=12)
    close = unit_in(building_in(places, "ciwu", lat=ciwu.lat + 0.03, lon=ciwu.lon))  # 3.3 km N
    mid = unit_in(building_in(places, "ciwu", lat=ciwu.lat, lon=ciwu.lon + 0.1))  # 9.7 km E
    unplaced = unit_in(building_in(places, "ciwu", lat=None, lon=None))
    db.session.commit()
    assert {h[1] for h in hits(default)} == {close.id}
    assert {h[1] for h in hits(wide)} == {close.id, mid.id}
    assert unplaced.id not in {h[1] for h in hits(wide)}


def test_paused_searches_and_the_agents_own_listings_report_nothing(places, tenant, agent):
    paused = save(tenant, town="次坞镇")
    paused.paused = True
    own = save(agent, town="次坞镇")
    db.session.commit()
    building = building_in(places, "ciwu", owner=agent)
    unit_in(building)
    db.session.commit()
    assert hits(paused) == [] and hits(own) == []


def test_the_job_run_again_records_nothing_again(places, tenant):
    search = save(tenant, town="次坞镇")
    building = building_in(places, "ciwu")
    unit = unit_in(building)
    db.session.commit()
    assert len(hits(search)) == 1
    commands.match_changes({"units": [[unit.id, None]], "buildings": []})
    commands.match_changes({"units": [[unit.id, None]], "buildings": []})
    assert len(hits(search)) == 1


def test_a_commit_that_touches_no_unit_enqueues_nothing(places, tenant, monkeypatch):
    enqueued = []
    monkeypatch.setattr(jobs, "enqueue", lambda func, *args: enqueued.append(args))
    save(tenant, town="次坞镇")  # a saved search, no unit
    tenant.name = "陈女士"
    db.session.commit()
    assert enqueued == []
    building = building_in(places, "ciwu")
    unit = unit_in(building)
    db.session.commit()
    assert enqueued == [({"units": [[unit.id, None]], "buildings": []},)]


def test_a_rolled_back_change_is_not_matched(places, tenant, monkeypatch):
    enqueued = []
    monkeypatch.setattr(jobs, "enqueue", lambda func, *args: enqueued.append(args))
    save(tenant, town="次坞镇")
    unit_in(building_in(places, "ciwu"))
    db.session.flush()
    db.session.rollback()
    assert changes.PENDING not in db.session.info
    db.session.commit()
    assert enqueued == []
