"""The rollups equal the figures computed directly from the units and their history: on the demo,
after each kind of change, after random sequences of changes, and after `market refresh`."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from app.extensions import db
from app.market import figures, rebuild
from app.models import Building, Park, Place, PlaceKind, Unit
from app.models.listings import GRADES
from app.models.market import MarketBin, MarketFigures, MarketMonth
from tests.factories import BuildingFactory, UnitFactory
from tests.market.checks import differences


def place(slug: str) -> Place:
    return db.session.scalar(select(Place).where(Place.slug == slug))


def test_the_demo_rollups_equal_the_direct_figures(demo):
    assert differences() == []
    city = figures.for_place(place("shaoxing").id)
    assert city.enough and city.rental_units > 100 and city.new_30d > 0 and city.let_30d > 0
    points = figures.trend(place("shaoxing").id)
    assert len(points) == figures.MONTHS and all(p.rent_median for p in points)
    assert figures.change_12m(points) is not None


def test_a_trend_can_end_at_a_past_month(demo):
    city = place("shaoxing").id
    now = figures.trend(city)
    year_ago = now[-13].month
    ending = figures.trend(city, until=date(year_ago.year, year_ago.month, 17))
    assert len(ending) == figures.MONTHS and ending[-1] == now[-13]
    assert ending[-12:] == now[:12]


def test_a_place_with_too_few_units_has_no_median(app, people, gazetteer):
    town = next(p for p in gazetteer.values() if p.kind == PlaceKind.TOWN and p.in_region)
    building = BuildingFactory(
        owner=people["owner"], status="published", town=town, district=town.parent
    )
    for rent in (1.0, 1.2, 1.4, 1.6):
        UnitFactory(building=building, rent_per_m2_day=rent)
    db.session.commit()
    places = [building.district_id, building.town_id, place("shaoxing").id]
    for place_id in places:
        few = figures.for_place(place_id)
        assert (few.rental_units, few.enough, few.rent_median, few.rent_p25) == (
            4,
            False,
            None,
            None,
        )
        assert figures.for_place(place_id, "乙级").rental_units == 4
    UnitFactory(building=building, rent_per_m2_day=2.0)
    db.session.commit()
    for place_id in places:
        enough = figures.for_place(place_id)
        assert (enough.enough, enough.rent_median, enough.rent_p25) == (True, 1.4, 1.2)
    assert differences() == []


def test_a_building_that_moves_leaves_its_old_place(demo):
    building = db.session.scalar(
        select(Building).where(Building.status == "published").order_by(Building.id)
    )
    old_town = building.town_id
    before = figures.for_place(old_town).rental_units
    available = sum(
        1 for u in building.units if u.status == "available" and u.rent_per_m2_day is not None
    )
    assert available
    other = db.session.scalar(
        select(Place).where(
            Place.kind == PlaceKind.TOWN, Place.id != old_town, Place.in_region.is_(True)
        )
    )
    building.town_id, building.district_id = other.id, other.parent_id
    building.grade = "甲级" if building.grade != "甲级" else "丙级"
    db.session.commit()
    assert figures.for_place(old_town).rental_units == before - available
    assert differences() == []


def test_market_refresh_is_idempotent(demo, runner):
    def rows():
        return [
            sorted(tuple(r) for r in db.session.execute(select(*model.__table__.c).where()))
            for model in (MarketBin, MarketMonth)
        ] + [
            sorted(
                tuple(v for k, v in r._mapping.items() if k != "updated_at")
                for r in db.session.execute(select(*MarketFigures.__table__.c))
            )
        ]

    first = runner.invoke(args=["market", "refresh"])
    assert first.exit_code == 0 and "行情已刷新" in first.output
    once = rows()
    assert runner.invoke(args=["market", "refresh"]).exit_code == 0
    db.session.expire_all()
    assert rows() == once
    assert differences() == []
    assert runner.invoke(args=["market", "rebuild"]).exit_code == 0
    assert rows() == once


def test_rebuild_if_empty_builds_the_figures_of_a_database_upgraded_without_them(demo, runner):
    kept = runner.invoke(args=["market", "rebuild", "--if-empty"])
    assert kept.exit_code == 0 and "已有行情数据，未重建" in kept.output
    for model in (MarketFigures, MarketBin, MarketMonth):
        db.session.execute(delete(model))
    db.session.commit()  # as after `db upgrade` to 0021 on a database with listings
    assert figures.for_place(place("shaoxing").id).rental_units == 0
    built = runner.invoke(args=["market", "rebuild", "--if-empty"])
    assert built.exit_code == 0 and "行情已重建" in built.output
    db.session.expire_all()
    assert figures.for_place(place("shaoxing").id).rental_units > 0
    assert differences() == []


RENTS = st.sampled_from([0.8, 1.2, 1.25, 1.5, 2.0, 3.355, None])
STATUSES = st.sampled_from(["available", "available", "reserved", "leased", "sold"])
PICK = st.integers(0, 10_000)
CHANGES = st.one_of(
    st.tuples(st.just("create"), PICK, st.sampled_from(["rent", "sale"]), RENTS, STATUSES),
    st.tuples(st.just("rent"), PICK, RENTS),
    st.tuples(st.just("price"), PICK, st.sampled_from([5000.0, 6800.4, 9000.0, None])),
    st.tuples(st.just("status"), PICK, STATUSES),
    st.tuples(st.just("area"), PICK, st.sampled_from([60.0, 95.5])),
    st.tuples(st.just("delete"), PICK),
    st.tuples(st.just("move"), PICK, PICK, PICK),
    st.tuples(st.just("grade"), PICK, st.sampled_from([*GRADES, None])),
    st.tuples(st.just("publish"), PICK, st.sampled_from(["published", "hidden", "draft"])),
    st.tuples(st.just("delete_building"), PICK),
)


def _pick(items: list, index: int):
    return items[index % len(items)] if items else None


def _change(change: tuple) -> None:
    kind, index, *args = change
    buildings = db.session.scalars(select(Building).order_by(Building.id)).all()
    units = db.session.scalars(select(Unit).order_by(Unit.id)).all()
    unit = _pick(units, index)
    building = _pick(buildings, index)
    if kind == "create":
        deal, rent, status = args
        db.session.add(
            Unit(
                building=building,
                deal=deal,
                area_m2=100.0 + index % 7,
                rent_per_m2_day=rent if deal == "rent" else None,
                price_per_m2=8000.0 + index % 3 if deal == "sale" else None,
                status=status,
            )
        )
    elif kind == "rent":
        unit.rent_per_m2_day = args[0]
    elif kind == "price":
        unit.price_per_m2 = args[0]
    elif kind == "status":
        unit.status = args[0]
    elif kind == "area":
        unit.area_m2 = args[0]
    elif kind == "delete":
        db.session.delete(unit)
    elif kind == "move":
        towns = db.session.scalars(
            select(Place).where(Place.kind == PlaceKind.TOWN).order_by(Place.id)
        ).all()
        town = _pick(towns, args[0])
        parks = db.session.scalars(select(Park.id).order_by(Park.id)).all()
        building.town_id, building.district_id = town.id, town.parent_id
        building.park_id = _pick([*parks, None], args[1])
    elif kind == "grade":
        building.grade = args[0]
    elif kind == "publish":
        building.status = args[0]
    elif kind == "delete_building" and len(buildings) > 40:
        db.session.delete(building)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(CHANGES, st.booleans()), min_size=1, max_size=10))
def test_the_rollups_equal_the_direct_figures_after_random_changes(demo, changes):
    for change, commit in changes:
        _change(change)
        db.session.flush()
        if commit:
            db.session.commit()
    db.session.commit()
    assert differences() == []


def test_rebuild_equals_what_the_commits_kept(demo):
    unit = db.session.scalar(select(Unit).where(Unit.status == "available").order_by(Unit.id))
    unit.status = "leased"
    db.session.commit()
    kept = db.session.execute(select(*MarketFigures.__table__.c)).all()
    rebuild.rebuild(db.session)
    db.session.commit()
    again = db.session.execute(select(*MarketFigures.__table__.c)).all()
    assert [r[:-1] for r in sorted(kept)] == [r[:-1] for r in sorted(again)]


def test_the_refresh_is_scheduled_on_rq():
    from redis import Redis
    from rq.cron import CronScheduler

    from app.config import Config
    from app.market.commands import refresh

    scheduler = CronScheduler(connection=Redis.from_url("redis://127.0.0.1:1"))
    scheduler.load_config_from_file("app/market/rq_cron.py")
    (job,) = scheduler.get_jobs()
    assert (job.func, job.cron, job.queue_name) == (refresh, "30 8 * * *", Config.JOB_QUEUE)
