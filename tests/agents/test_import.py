"""Bulk import: per-row errors with row numbers, each row wholly in or out, web and command line."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.agent import csv_import
from app.extensions import db
from app.models import Building, Unit

DATA = Path(__file__).parent / "data"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_sample_file_imports_every_row(app, gazetteer, people):
    owner = people["owner"]
    result = csv_import.import_csv((DATA / "sample.csv").read_bytes(), owner)
    db.session.commit()
    assert (result.rows, result.units, result.buildings, result.errors) == (4, 4, 2, [])
    center = db.session.scalar(select(Building).where(Building.name == "次坞智造中心"))
    assert len(center.units) == 3 and center.status == "draft" and center.owner == owner
    assert center.town.name == "次坞镇" and center.point_source == "gazetteer"
    assert {u.deal for u in center.units} == {"rent", "sale"}
    yaojiang = db.session.scalar(select(Building).where(Building.name == "姚江商务楼"))
    assert yaojiang.town.name == "姚江镇"  # 直埠镇 in the address


def test_errors_are_reported_per_row_and_rows_are_all_or_nothing(app, gazetteer, people):
    result = csv_import.import_csv((DATA / "errors.csv").read_bytes(), people["owner"])
    db.session.commit()
    assert (result.rows, result.units, result.buildings) == (7, 1, 1)
    by_row = {e.row: " ".join(e.messages) for e in result.errors}
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8]
    assert "楼层不能高于楼盘总楼层（25 层）" in by_row[3]
    assert "总楼层（层）：楼层须在 1 到 200 之间" in by_row[4]
    assert "面积须大于 0" in by_row[5]
    assert "未能从地址识别位置" in by_row[6]
    assert "出售房源请填写售价" in by_row[7]
    assert "出售房源不能标为已租出" in by_row[8]
    assert str(result.errors[0]).startswith("第 3 行：")
    # Row 5's building was valid but its unit was not: the building went out with the row.
    names = set(db.session.scalars(select(Building.name)))
    assert names == {"暨阳商务中心"}
    assert count(Unit) == 1


def test_reimport_adds_units_to_the_existing_building(app, gazetteer, people):
    data = (DATA / "sample.csv").read_bytes()
    csv_import.import_csv(data, people["owner"])
    result = csv_import.import_csv(data, people["owner"])
    assert (result.units, result.buildings) == (4, 0)
    assert count(Building) == 2 and count(Unit) == 8
    # Another agent's rows make their own buildings.
    assert csv_import.import_csv(data, people["other_agent"]).buildings == 2


def test_gbk_file_with_chinese_headers_and_pins(app, gazetteer, people):
    text = (
        "楼盘名称,地址,等级,纬度,经度,类型,面积,租金,装修\n"
        "图钉楼,某路 1 号,丙级,29.8,120.2,出租,66,0.9,毛坯\n"
    )
    result = csv_import.import_csv(text.encode("gbk"), people["owner"])
    assert result.units == 1, result.errors
    building = db.session.scalar(select(Building))
    assert (building.lat, building.lon, building.point_source) == (29.8, 120.2, "pin")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件为空"),
        ("名字,地址\n甲,乙\n".encode(), "缺少必需的列：楼盘名称（building_name）"),
        (b"\xff\xfe\x00\x81\x00", "无法识别文件编码"),
    ],
)
def test_unreadable_files_are_refused_whole(app, people, data, message):
    with pytest.raises(csv_import.ImportFileError, match=message):
        csv_import.import_csv(data, people["owner"])


def test_import_page_reports_rows(as_owner, gazetteer):
    page = as_owner.get("/agent/import").get_data(as_text=True)
    assert "building_name" in page and "楼盘名称" in page
    response = as_owner.post(
        "/agent/import",
        data={"file": (BytesIO((DATA / "errors.csv").read_bytes()), "errors.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,  # to the import's page (the job ran as the response was made)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "errors.csv" in page and "已完成" in page
    assert "共 7 行：导入房源 1 个，新建楼盘 1 个，出错 6 行。" in page
    assert "第 6 行" in page and "未能从地址识别位置" in page


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"building_name\n", "a.csv", "缺少必需的列"),
        (b"x", "a.txt", "请上传 .csv 文件"),
    ],
)
def test_import_page_refuses_bad_files(as_owner, data, name, message):
    response = as_owner.post(
        "/agent/import", data={"file": (BytesIO(data), name)}, content_type="multipart/form-data"
    )
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert as_owner.post("/agent/import", data={}).status_code == 422


def test_command_line_import_with_progress_and_summary(runner, gazetteer, people):
    email = people["owner"].email
    result = runner.invoke(args=["listings", "import", str(DATA / "errors.csv"), "--owner", email])
    assert result.exit_code == 1
    assert "第 3 行：" in result.output and "第 8 行：" in result.output
    assert "共 7 行：导入房源 1 个，新建楼盘 1 个，出错 6 行。" in result.output
    assert "导入" in result.output and "7/7" in result.output  # the tqdm bar
    db.session.expire_all()
    assert count(Unit) == 1
    result = runner.invoke(args=["listings", "import", str(DATA / "sample.csv"), "--owner", email])
    assert result.exit_code == 0 and "出错 0 行" in result.output


def test_command_line_refuses_unknown_owner(runner, people):
    result = runner.invoke(
        args=["listings", "import", str(DATA / "sample.csv"), "--owner", "nobody@example.com"]
    )
    assert result.exit_code != 0 and "找不到经纪人账户" in result.output
    tenant = people["tenant"].email
    result = runner.invoke(args=["listings", "import", str(DATA / "sample.csv"), "--owner", tenant])
    assert result.exit_code != 0
