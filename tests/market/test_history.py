"""Rent history: each way a unit changes records its event, with the unit's state after it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.agent import csv_import, import_jobs
from app.extensions import db
from app.models import Building, Unit
from tests.agents.test_units import RENT
from tests.factories import BuildingFactory, UnitFactory
from tests.helpers import sign_in
from tests.market.checks import differences, events_of

DATA = Path(__file__).parent.parent / "agents" / "data"
UNIT_FORM = {**RENT, "available_from": ""}  # the agents' unit form, no move-in date


def published(owner, **values) -> Building:
    building = BuildingFactory(owner=owner, status="published", **values)
    db.session.commit()
    return building


def test_the_agents_forms_record_listing_rent_status_and_withdrawal(as_owner, people):
    building = published(people["owner"])
    assert (
        as_owner.post(f"/agent/buildings/{building.id}/units/new", data=UNIT_FORM).status_code
        == 302
    )
    unit = db.session.scalar(select(Unit).where(Unit.building_id == building.id))
    assert events_of(unit.id) == [("listed", "available", 1.5, None)]

    as_owner.post(f"/agent/units/{unit.id}/edit", data={**UNIT_FORM, "rent_per_m2_day": "1.8"})
    as_owner.post(f"/agent/units/{unit.id}/confirm", data={"back": "dashboard"})  # 刷新
    as_owner.post(
        f"/agent/units/{unit.id}/edit",
        data={**UNIT_FORM, "rent_per_m2_day": "1.8", "area_m2": "130"},
    )  # not a rent change
    as_owner.post(f"/agent/units/{unit.id}/status", data={"status": "leased"})
    as_owner.post(f"/agent/units/{unit.id}/status", data={"status": "available"})
    as_owner.post(f"/agent/units/{unit.id}/delete")
    assert events_of(unit.id) == [
        ("listed", "available", 1.5, None),
        ("rent", "available", 1.8, None),
        ("leased", "leased", 1.8, None),
        ("listed", "available", 1.8, None),
        ("withdrawn", "withdrawn", 1.8, None),
    ]
    assert differences() == []


def test_a_sale_price_change_is_recorded(as_owner, people):
    building = published(people["owner"])
    data = {**UNIT_FORM, "deal": "sale", "rent_per_m2_day": "", "price_per_m2": "8000"}
    as_owner.post(f"/agent/buildings/{building.id}/units/new", data=data)
    unit = db.session.scalar(select(Unit).where(Unit.building_id == building.id))
    as_owner.post(f"/agent/units/{unit.id}/edit", data={**data, "price_per_m2": "7600"})
    as_owner.post(f"/agent/units/{unit.id}/status", data={"status": "sold"})
    assert events_of(unit.id) == [
        ("listed", "available", None, 8000.0),
        ("price", "available", None, 7600.0),
        ("sold", "sold", None, 7600.0),
    ]


def test_a_draft_records_nothing_until_it_is_published(as_owner, people):
    building = BuildingFactory(owner=people["owner"], status="draft")
    unit = UnitFactory(building=building)
    leased = UnitFactory(building=building, status="leased")
    db.session.commit()
    assert events_of(unit.id) == []
    assert as_owner.post(f"/agent/buildings/{building.id}/publish").status_code == 302
    assert events_of(unit.id) == [("listed", "available", 1.5, None)]
    assert events_of(leased.id) == [], "published already let: never on the market"
    assert as_owner.post(f"/agent/buildings/{building.id}/withdraw").status_code == 302
    assert events_of(unit.id)[-1] == ("withdrawn", "withdrawn", 1.5, None)


def test_an_admin_hiding_and_publishing_a_building(client, people):
    building = published(people["owner"])
    unit = UnitFactory(building=building)
    db.session.commit()
    sign_in(client, people["editor"])
    client.post(f"/admin/buildings/{building.id}/hide")
    client.post(f"/admin/buildings/{building.id}/publish")
    assert [e[0] for e in events_of(unit.id)] == ["listed", "withdrawn", "listed"]
    assert differences() == []


def test_the_csv_import_adds_units_to_a_published_building(app, gazetteer, people):
    owner = people["owner"]
    data = (DATA / "sample.csv").read_bytes()
    csv_import.import_csv(data, owner)
    db.session.commit()
    center = db.session.scalar(select(Building).where(Building.name == "次坞智造中心"))
    assert all(events_of(u.id) == [] for u in center.units), "a new building is a draft"
    center.status = "published"
    db.session.commit()
    before = {u.id for u in center.units}
    csv_import.import_csv(data, owner)  # the same rows again: units added to the building
    db.session.commit()
    added = [u for u in center.units if u.id not in before]
    assert len(added) == 3
    assert sorted(e[:2] for u in added for e in events_of(u.id)) == [
        ("listed", "available"),
        ("listed", "available"),
    ], "the reserved unit is not on the market"
    assert differences() == []


def test_the_import_job_records_its_units(app, gazetteer, people):
    owner = people["owner"]
    data = (DATA / "sample.csv").read_bytes()
    csv_import.import_csv(data, owner)
    db.session.commit()
    center = db.session.scalar(select(Building).where(Building.name == "次坞智造中心"))
    center.status = "published"
    db.session.commit()
    before = {u.id for u in center.units}
    job = import_jobs.start(owner, data, "sample.csv")
    db.session.commit()
    import_jobs.run(job.id)
    db.session.expire_all()
    added = [u for u in center.units if u.id not in before]
    assert len(added) == 3
    assert sorted(e[0] for u in added for e in events_of(u.id)) == ["listed", "listed"]


def test_deleting_a_building_withdraws_its_units(app, people):
    building = published(people["owner"])
    unit = UnitFactory(building=building)
    db.session.commit()
    db.session.delete(building)
    db.session.commit()
    assert events_of(unit.id) == [
        ("listed", "available", 1.5, None),
        ("withdrawn", "withdrawn", 1.5, None),
    ]


def test_a_rolled_back_change_records_nothing(app, people):
    building = published(people["owner"])
    unit = UnitFactory(building=building)
    db.session.commit()
    unit.rent_per_m2_day = 3.0
    db.session.flush()
    db.session.rollback()
    unit.rent_per_m2_day = 2.0
    db.session.commit()
    assert events_of(unit.id) == [
        ("listed", "available", 1.5, None),
        ("rent", "available", 2.0, None),
    ]
