"""`flask places load` and `flask demo load`: idempotent, and updating an existing database
without breaking article links, URLs or the buildings' places."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.geo.locate import locate
from app.models import ArticlePlace, Building, Place
from app.places import gazetteer

LEVELS_LINE = "按级别：市 1（区外 4），区县 6（区外 12），镇街 103（区外 3）"


def links() -> set[tuple[int, int]]:
    return set(db.session.execute(select(ArticlePlace.article_id, ArticlePlace.place_id)).all())


def place_rows() -> dict[str, tuple[int, str]]:
    return {p.name: (p.id, p.slug) for p in db.session.scalars(select(Place))}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_places_load_on_an_empty_database_prints_counts_by_level(runner, app):
    result = runner.invoke(args=["places", "load"])
    assert result.exit_code == 0, result.output
    assert "地名库已加载：新增 129，更新 0" in result.output
    assert LEVELS_LINE in result.output


def test_a_second_places_load_changes_nothing(runner, demo):
    before_places, before_links = place_rows(), links()
    result = runner.invoke(args=["places", "load"])
    assert result.exit_code == 0, result.output
    assert "新增 0，更新 0；地名库无变化" in result.output and LEVELS_LINE in result.output
    assert place_rows() == before_places and links() == before_links


def test_demo_load_twice_changes_nothing(runner, demo):
    before = (place_rows(), links(), count(Building))
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "地名库按级别：市 1（区外 4），区县 6（区外 12），镇街 103（区外 3）" in result.output
    assert (place_rows(), links(), count(Building)) == before


def test_places_load_updates_an_older_database_and_keeps_ids_slugs_and_links(runner, demo):
    """A database loaded before the reference gazetteer: places without codes, an alias and a
    point since corrected. Loading brings them up to date in place."""
    before_places, before_links = place_rows(), links()
    assert before_links
    yaojiang = db.session.scalar(select(Place).where(Place.slug == "yaojiang"))
    yaojiang.aliases = ["姚江", "直埠镇"]
    yaojiang.lat, yaojiang.lon = 29.9000, 120.2000
    for slug in ("zhuji", "ciwu", "diankou"):
        db.session.scalar(select(Place).where(Place.slug == slug)).code = None
    db.session.commit()

    result = runner.invoke(args=["places", "load"])
    assert result.exit_code == 0, result.output
    assert "新增 0，更新 4" in result.output and LEVELS_LINE in result.output
    assert place_rows() == before_places and links() == before_links
    db.session.expire_all()
    yaojiang = db.session.scalar(select(Place).where(Place.slug == "yaojiang"))
    assert "直埠" in yaojiang.aliases and "江藻镇" in yaojiang.aliases
    assert (yaojiang.lat, yaojiang.lon) == (29.8207, 120.2485)
    codes = db.session.execute(select(Place.slug, Place.code).where(Place.slug == "ciwu")).one()
    assert codes.code == "330681103000"


def test_places_load_places_buildings_again_after_a_change(runner, demo):
    building = db.session.scalar(
        select(Building).where(Building.name == "次坞临杭科创大厦")
    )  # fmt: skip
    right_town = building.town
    wrong = db.session.scalar(select(Place).where(Place.slug == "wuxie"))
    building.town = wrong
    db.session.scalar(select(Place).where(Place.slug == "ciwu")).aliases = []
    db.session.commit()

    result = runner.invoke(args=["places", "load"])
    assert result.exit_code == 0, result.output
    assert "重新定位楼盘 1 栋" in result.output
    db.session.expire_all()
    assert db.session.get(Building, building.id).town_id == right_town.id


def test_every_demo_building_lies_in_its_district_and_town(demo):
    buildings = db.session.scalars(select(Building)).all()
    assert len(buildings) >= 52
    for b in buildings:
        found = locate(b.lat, b.lon)
        assert found.district is not None and b.district_id == found.district.id, b.name
        assert b.town_fixed or b.town_id == found.town.id, (b.name, found.town.name)
        assert b.park_fixed or b.park_id == (found.park.id if found.park else None), b.name


def test_the_demo_has_buildings_in_shengzhou_and_xinchang(demo):
    for county, towns in (
        ("嵊州市", {"剡湖街道", "三江街道"}),
        ("新昌县", {"南明街道", "七星街道"}),
    ):
        rows = db.session.scalars(
            select(Building).join(Building.district).where(Place.name == county)
        ).all()
        assert {b.town.name for b in rows} >= towns
        assert all(b.units for b in rows)


def test_every_demo_park_says_how_far_it_reaches(demo):
    from app.demo.parks import PARKS

    for park in PARKS:
        assert "radius_km" in park and (park["boundary"] or park["radius_km"] or
                                        park["slug"] == "zhuji-island"), park["slug"]  # fmt: skip


def test_gazetteer_load_is_what_demo_load_runs_first(demo):
    loaded = gazetteer.load()
    assert not loaded.touched
    assert loaded.by_slug["shengzhou"].boundary


def test_places_load_relinks_articles_after_a_change(runner, demo):
    before = links()
    assert before
    db.session.query(ArticlePlace).delete()
    db.session.scalar(select(Place).where(Place.slug == "diankou")).aliases = ["店口"]
    db.session.commit()

    result = runner.invoke(args=["places", "load"])
    assert result.exit_code == 0, result.output
    assert "重新关联文章" in result.output
    assert links() == before
