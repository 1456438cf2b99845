"""What is built from the gazetteer (the linker's automaton, the placing shapes) follows its
changes: this process's at once, another process's at the next request, a rolled-back one not."""

from __future__ import annotations

from sqlalchemy import select, text

from app.extensions import db
from app.geo import cache
from app.geo.locate import locate
from app.models import Building, Park, Place, stamps
from app.news.linker import find_places


def names(text_: str) -> list[str]:
    return [found.place.name for found in find_places(text_)]


def places_stamp() -> int:
    return stamps.current(db.session, stamps.PLACES)[0]


def test_a_committed_change_to_a_place_or_park_raises_the_places_stamp(demo):
    before = places_stamp()
    building = db.session.scalars(select(Building)).first()
    building.name = "只改楼名"
    db.session.commit()
    assert places_stamp() == before  # a building is not the gazetteer
    db.session.scalar(select(Place).where(Place.name == "暨阳街道")).aliases = ["暨阳老城"]
    db.session.commit()
    assert places_stamp() == before + 1
    db.session.scalars(select(Park)).first().radius_km = 0.5
    db.session.commit()
    assert places_stamp() == before + 2


def test_another_process_change_is_seen_at_the_next_request(app, demo):
    with app.test_request_context():
        assert names("暨阳老城的写字楼") == []
    # Another process: a write no ORM event of this one sees, committed with the stamp.
    with db.engine.begin() as conn:
        town = conn.execute(text("SELECT id FROM place WHERE name = '暨阳街道'")).scalar_one()
        conn.execute(
            text("UPDATE place SET aliases = :aliases WHERE id = :id"),
            {"aliases": '["暨阳老城"]', "id": town},
        )
        conn.execute(stamps._BUMP, {"name": stamps.PLACES})
    with app.test_request_context():
        assert names("暨阳老城的写字楼") == ["暨阳街道"]


def test_a_rolled_back_change_leaves_nothing_behind(app, demo):
    town = db.session.scalar(select(Place).where(Place.name == "三江街道"))
    lat, lon = town.lat, town.lon
    assert locate(lat, lon).town == town
    town.aliases = ["试验别名"]
    town.boundary = None
    db.session.flush()
    assert names("试验别名") == ["三江街道"]  # built from the flushed, uncommitted change
    db.session.rollback()
    assert names("试验别名") == []
    assert locate(lat, lon).town.name == "三江街道"


def test_the_version_is_read_once_per_request(app, demo, monkeypatch):
    reads = []
    real = stamps.current
    monkeypatch.setattr(stamps, "current", lambda *a: reads.append(a) or real(*a))
    with app.test_request_context():
        names("诸暨和嵊州")
        locate(29.59, 120.82)
        names("新昌")
    assert len(reads) == 1
    cache.invalidate()  # this process changed the gazetteer: asked again
    with app.test_request_context():
        names("诸暨")
    assert len(reads) == 2
