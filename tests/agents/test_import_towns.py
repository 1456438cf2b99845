"""CSV import: a row naming a town the gazetteer does not know is imported without a town and
reported, never given a neighbouring town; a row placed in no known district is reported too."""

from __future__ import annotations

from io import BytesIO

import pytest
from sqlalchemy import select

from app.agent import csv_import
from app.extensions import db
from app.geo.locate import place_all_buildings
from app.models import Building
from app.places import gazetteer

HEADER = "楼盘名称,地址,等级,纬度,经度,类型,面积,租金,装修\n"
ROWS = (
    "青云大厦,诸暨市青云镇青云路 1 号,乙级,,,出租,120,1.2,精装\n"
    "次坞智造中心,诸暨市次坞镇次坞大道 88 号,乙级,,,出租,180,1.2,精装\n"
    "某某大厦,嵊州市某某镇某某路 2 号,乙级,29.61,120.80,出租,200,1.0,简装\n"
    "海上大厦,上虞区海上 1 号,乙级,30.30,121.30,出租,90,1.0,毛坯\n"
)


@pytest.fixture
def places(app):
    gazetteer.load()
    db.session.commit()


def building(name: str) -> Building:
    return db.session.scalar(select(Building).where(Building.name == name))


def placed(b: Building) -> tuple:
    return tuple(x.name if x else None for x in (b.district, b.town, b.park))


def test_an_unknown_town_is_reported_and_no_other_town_given(places, people):
    result = csv_import.import_csv((HEADER + ROWS).encode(), people["owner"])
    db.session.commit()
    assert (result.units, result.buildings, result.errors) == (4, 4, [])
    notes = {n.row: "；".join(n.messages) for n in result.notes}
    assert sorted(notes) == [2, 4, 5]
    assert "地址中的镇街“青云镇”不在地名库中：已导入，未指定镇街" in notes[2]
    assert "地址中的镇街“某某镇”不在地名库中" in notes[4]
    assert "该位置不在已知的区县范围内" in notes[5]
    assert result.summary.endswith("出错 0 行。需核对 3 行。")
    # Geocoded to 诸暨市's centre: its district, but no town and no park guessed from that.
    assert placed(building("青云大厦")) == ("诸暨市", None, None)
    assert placed(building("次坞智造中心"))[:2] == ("诸暨市", "次坞镇")
    # A pin in 嵊州 at 三江街道's centre: 嵊州市, still not 三江街道.
    assert placed(building("某某大厦")) == ("嵊州市", None, None)
    assert placed(building("海上大厦")) == (None, None, None)
    # Placing every building again (flask places load) gives them no town either.
    place_all_buildings()
    db.session.commit()
    assert building("青云大厦").town is None and building("某某大厦").town is None


def test_the_import_page_lists_the_rows_to_check(as_owner, places):
    response = as_owner.post(
        "/agent/import",
        data={"file": (BytesIO((HEADER + ROWS).encode("gbk")), "towns.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,  # to the import's page (the job ran as the response was made)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "共 4 行：导入房源 4 个，新建楼盘 4 个，出错 0 行。需核对 3 行。" in page
    assert 'id="import-notes"' in page and "需核对（该行已导入）" in page
    assert "第 2 行" in page and "“青云镇”不在地名库中" in page


@pytest.mark.parametrize(
    ("address", "unknown"),
    [
        ("浙江省绍兴市诸暨市青云镇青云路 1 号", "青云镇"),
        ("诸暨青云镇", "青云镇"),
        ("嵊州市某某乡", "某某乡"),
        ("绍兴市柯桥区某某街道某路", "某某街道"),
        ("诸暨市暨阳街道东二路 66 号", None),
        ("诸暨市东二路 66 号", None),
        ("诸暨市直埠镇", None),  # an old name of 姚江镇
        ("诸暨市店口镇解放路 10 号", None),
        ("店口镇解放路", None),
        ("新昌县七星街道", None),
        ("", None),
    ],
)
def test_which_town_an_address_names_that_the_gazetteer_lacks(places, address, unknown):
    assert csv_import.TownCheck().unknown_town(address) == unknown


def test_the_command_line_prints_the_rows_to_check(runner, places, people, tmp_path):
    path = tmp_path / "towns.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    result = runner.invoke(args=["listings", "import", str(path), "--owner", people["owner"].email])
    assert result.exit_code == 0
    assert "需核对 第 2 行：地址中的镇街“青云镇”不在地名库中" in result.output
    assert "出错 0 行。需核对 3 行。" in result.output


def test_the_edit_form_keeps_no_town_until_the_agent_chooses_one(as_owner, places, people):
    csv_import.import_csv((HEADER + ROWS).encode(), people["owner"])
    db.session.commit()
    qingyun = building("青云大厦")
    url = f"/agent/buildings/{qingyun.id}/edit"
    page = as_owner.get(url).get_data(as_text=True)
    assert '<option selected value="none">不指定镇街（地名库中没有该镇街）</option>' in page
    form = {
        "name": qingyun.name,
        "address": qingyun.address,
        "grade": "乙级",
        "town_choice": "none",
        "park_choice": "none",
        "pin": "",
    }
    assert as_owner.post(url, data=form).status_code == 302
    db.session.expire_all()
    assert placed(building("青云大厦")) == ("诸暨市", None, None)
    assert as_owner.post(url, data={**form, "town_choice": ""}).status_code == 302
    db.session.expire_all()
    assert building("青云大厦").town is not None  # 按位置自动识别: the nearest town centre
