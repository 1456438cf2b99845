"""The reference gazetteer: all of 绍兴 with codes, old names, neighbours and boundaries."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, shape
from sqlalchemy import select

from app.extensions import db
from app.geo.transform import gcj02_to_wgs84
from app.models import Place, PlaceKind
from app.places import boundaries, gazetteer

COUNTIES = {
    "越城区": "330602000000",
    "柯桥区": "330603000000",
    "上虞区": "330604000000",
    "新昌县": "330624000000",
    "诸暨市": "330681000000",
    "嵊州市": "330683000000",
}
# A sample of towns in each county-level unit, with their codes.
TOWNS = {
    "越城区": {"塔山街道": "330602001000", "沥海街道": "330602017000", "富盛镇": "330602108000"},
    "柯桥区": {"柯桥街道": "330603001000", "杨汛桥街道": "330603010000", "夏履镇": "330603114000"},
    "上虞区": {"百官街道": "330604001000", "章镇镇": "330604104000", "丁宅乡": "330604202000"},
    "新昌县": {"南明街道": "330624002000", "七星街道": "330624003000", "东茗乡": "330624201000"},
    "诸暨市": {"暨阳街道": "330681001000", "姚江镇": "330681106000", "东白湖镇": "330681124000"},
    "嵊州市": {"剡湖街道": "330683001000", "三江街道": "330683002000", "贵门乡": "330683200000"},
}
TOWNS_PER_COUNTY = {
    "越城区": 17,
    "柯桥区": 16,
    "上虞区": 20,
    "新昌县": 12,
    "诸暨市": 23,
    "嵊州市": 15,
}
NEIGHBOURS = {
    "萧山区": "杭州市", "滨江区": "杭州市", "富阳区": "杭州市", "上城区": "杭州市",
    "义乌市": "金华市", "浦江县": "金华市", "东阳市": "金华市", "磐安县": "金华市",
    "余姚市": "宁波市", "奉化区": "宁波市", "宁海县": "宁波市", "天台县": "台州市",
}  # fmt: skip
OLD_NAMES = {
    "直埠镇": "姚江镇",
    "江藻镇": "姚江镇",
    "阮市镇": "店口镇",
    "大唐镇": "大唐街道",
    "绍兴县": "柯桥区",
    "上虞市": "上虞区",
    "钱清镇": "钱清街道",
    "澄潭镇": "澄潭街道",
}
COMMON_WORDS = {"城南", "三江", "长乐", "七星", "东关", "北海", "东湖", "南明", "永和", "马鞍"}


@pytest.fixture
def loaded(app) -> dict[str, Place]:
    gazetteer.load()
    db.session.commit()
    return {p.name: p for p in db.session.scalars(select(Place))}


def test_every_county_level_unit_of_shaoxing_is_there_with_its_code(loaded):
    city = loaded["绍兴市"]
    assert city.code == "330600000000" and city.in_region and city.boundary
    for name, code in COUNTIES.items():
        county = loaded[name]
        assert (county.code, county.kind, county.in_region) == (code, PlaceKind.DISTRICT, True)
        assert county.parent is city
        assert county.boundary["type"] in ("Polygon", "MultiPolygon")


def test_all_103_township_units_are_there_under_their_county(loaded):
    towns = [p for p in loaded.values() if p.kind == PlaceKind.TOWN and p.in_region]
    assert len(towns) == 103
    for county, n in TOWNS_PER_COUNTY.items():
        under = [t for t in towns if t.parent.name == county]
        assert len(under) == n, county
        assert all(t.code.startswith(COUNTIES[county][:6]) and len(t.code) == 12 for t in under)
    for county, sample in TOWNS.items():
        for name, code in sample.items():
            assert loaded[name].code == code and loaded[name].parent.name == county


def test_existing_slugs_are_kept(loaded):
    slugs = {p.name: p.slug for p in loaded.values()}
    assert slugs["诸暨市"] == "zhuji" and slugs["暨阳街道"] == "jiyang"
    assert slugs["柯桥街道"] == "keqiao-jiedao" and slugs["曹娥街道"] == "cao-e"
    assert slugs["嵊州市"] == "shengzhou" and slugs["剡湖街道"] == "shanhu"


def test_old_names_find_the_place_that_replaced_them(loaded):
    for old, new in OLD_NAMES.items():
        holders = [p.name for p in loaded.values() if old in (p.aliases or [])]
        assert holders == [new], old


def test_aliases_are_distinctive(loaded):
    seen: dict[str, str] = {}
    for place in loaded.values():
        for alias in place.aliases or []:
            assert len(alias) >= 2, (place.name, alias)
            assert alias not in COMMON_WORDS, (place.name, alias)
            assert alias not in loaded or alias == place.name, alias
            assert seen.setdefault(alias, place.name) == place.name, alias


def test_neighbours_are_known_as_outside_the_region(loaded):
    for name, city in NEIGHBOURS.items():
        place = loaded[name]
        assert place.kind == PlaceKind.DISTRICT and not place.in_region, name
        assert place.parent.name == city and not place.parent.in_region
        assert len(place.code) == 12 and place.boundary


def test_every_town_and_county_point_lies_inside_its_county(loaded):
    for place in loaded.values():
        if place.kind not in (PlaceKind.DISTRICT, PlaceKind.TOWN):
            continue
        county = place.ancestor(PlaceKind.DISTRICT)
        assert shape(county.boundary).contains(Point(place.lon, place.lat)), place.name


def test_border_towns_are_inside_zhuji_not_xiaoshan(loaded):
    zhuji, xiaoshan = shape(loaded["诸暨市"].boundary), shape(loaded["萧山区"].boundary)
    for name in ("次坞镇", "店口镇", "姚江镇", "应店街镇"):
        point = Point(loaded[name].lon, loaded[name].lat)
        assert zhuji.contains(point) and not xiaoshan.contains(point), name
    # Seen from 姚江镇 (the old 直埠): 店口 to the north-east, 次坞 to the north-west.
    yaojiang, diankou, ciwu = loaded["姚江镇"], loaded["店口镇"], loaded["次坞镇"]
    assert diankou.lat > yaojiang.lat and diankou.lon > yaojiang.lon
    assert ciwu.lat > yaojiang.lat and ciwu.lon < yaojiang.lon


def test_points_say_where_they_come_from(loaded):
    records = {r["name"]: r for r in gazetteer.records()}
    assert records["店口镇"]["point_source"].startswith("GeoNames")
    assert records["次坞镇"]["precision"] == "approximate"
    assert {r["precision"] for r in records.values()} == {"sourced", "approximate"}
    assert "2023" in gazetteer.sources()["names_and_codes"]


def test_county_boundaries_are_converted_from_gcj02_to_wgs84():
    raw = boundaries.gcj_polygon_path("330681").read_text(encoding="utf-8")
    assert '"MultiPolygon"' in raw or '"Polygon"' in raw
    started = time.perf_counter()
    boundaries._boundary_json.cache_clear()
    wgs = shape(boundaries.boundary("330681"))
    assert time.perf_counter() - started < 1.0
    gcj = shape(json.loads(raw))
    # The whole outline moves by the GCJ-02 offset (about 0.5 km around 诸暨: WGS lies north
    # and west of GCJ), not elsewhere.
    lat, lon = gcj02_to_wgs84(gcj.centroid.y, gcj.centroid.x)
    assert abs(wgs.centroid.y - lat) < 0.001 and abs(wgs.centroid.x - lon) < 0.001
    assert wgs.centroid.x < gcj.centroid.x and wgs.centroid.y > gcj.centroid.y
    assert 0.9 < wgs.area / gcj.area < 1.1


def test_an_unknown_adcode_has_no_boundary():
    with pytest.raises(boundaries.BoundaryMissing):
        boundaries.boundary("999999")


def test_the_array_conversion_is_gcj02_to_wgs84_on_every_vertex():
    raw = json.loads(boundaries.gcj_polygon_path("330683").read_text(encoding="utf-8"))
    coords = shapely.get_coordinates(shape(raw))
    converted = boundaries.gcj02_to_wgs84_array(coords)
    expected = np.array([gcj02_to_wgs84(lat, lon)[::-1] for lon, lat in coords])
    assert len(coords) > 500
    assert np.abs(converted - expected).max() < 1e-7
