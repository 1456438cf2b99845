"""The demo data: loads idempotently, covers the region, and its points respect known geography."""

import pytest
from sqlalchemy import func, select

from app.demo import loader
from app.extensions import db
from app.models import Article, Building, Park, Place, Unit

ZHUJI_LON = (119.884, 120.535)
ZHUJI_LAT = (29.357, 29.984)


def test_load_twice_gives_the_same_rows(app):
    first = loader.load()
    units_before = db.session.execute(
        select(Unit.id, Unit.area_m2, Unit.rent_per_m2_day).order_by(Unit.id)
    ).all()
    second = loader.load()
    assert first == second
    assert (
        units_before
        == db.session.execute(
            select(Unit.id, Unit.area_m2, Unit.rent_per_m2_day).order_by(Unit.id)
        ).all()
    )


def test_demo_covers_what_the_portal_needs(demo):
    assert demo.buildings >= 40
    assert demo.units >= 150
    assert demo.parks >= 8
    assert demo.articles >= 12
    featured = db.session.scalar(select(func.count()).where(Building.featured.is_(True)))
    assert featured >= 4
    names = set(db.session.scalars(select(Place.name)))
    for park in (
        "次坞镇临杭产业园",
        "诸暨经济开发区",
        "诸暨岛",
        "中节能(诸暨)环保产业园",
        "2025创意产业园",
        "国际技术转移中心",
    ):
        assert park in names


@pytest.mark.parametrize(
    ("old", "current"),
    [
        ("直埠镇", "姚江镇"),
        ("江藻镇", "姚江镇"),
        ("阮市镇", "店口镇"),
        ("大唐镇", "大唐街道"),
        ("绍兴县", "柯桥区"),
    ],
)
def test_old_names_are_aliases_of_the_current_place(demo, old, current):
    place = db.session.scalar(select(Place).where(Place.name == current))
    assert old in place.aliases


def _point(name: str) -> tuple[float, float]:
    place = db.session.scalar(select(Place).where(Place.name == name))
    return place.lat, place.lon


def test_zhuji_points_lie_inside_zhuji(demo):
    zhuji = db.session.scalar(select(Place).where(Place.name == "诸暨市"))
    in_zhuji = [b for b in db.session.scalars(select(Building)) if b.district_id == zhuji.id]
    assert len(in_zhuji) >= 20
    for building in in_zhuji:
        assert ZHUJI_LON[0] <= building.lon <= ZHUJI_LON[1], building.name
        assert ZHUJI_LAT[0] <= building.lat <= ZHUJI_LAT[1], building.name
    for place in db.session.scalars(select(Place)):
        if place.ancestor("district") is zhuji:
            assert ZHUJI_LON[0] <= place.lon <= ZHUJI_LON[1], place.name
            assert ZHUJI_LAT[0] <= place.lat <= ZHUJI_LAT[1], place.name


def test_bearings_from_zhibu(demo):
    zhibu = _point("姚江镇")  # the merged town's point sits at the old 直埠 seat
    cizhen, diankou, yingdian = _point("次坞镇"), _point("店口镇"), _point("应店街镇")
    assert cizhen[0] > zhibu[0] and cizhen[1] < zhibu[1]  # north-west
    assert diankou[0] > zhibu[0] and diankou[1] >= zhibu[1]  # north to north-east
    assert yingdian[0] < zhibu[0] and yingdian[1] < zhibu[1]  # south-west
    city = _point("陶朱街道")
    assert city[0] < zhibu[0]  # the city lies to the south


def test_zhuji_island_is_in_binjiang(demo):
    park = db.session.scalar(select(Park).where(Park.slug == "zhuji-island"))
    assert park is not None
    assert park.place.parent.name == "滨江区"


def test_articles_are_marked_as_demo(demo):
    for article in db.session.scalars(select(Article)):
        assert "演示" in article.source or "演示" in article.editor
