"""/market/export.csv: what a spreadsheet opens, a row per place with Chinese headings."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from app.extensions import db
from app.market import figures
from app.models import Park, Place, PlaceKind


def download(client) -> tuple[object, list[dict[str, str]]]:
    response = client.get("/market/export.csv")
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode()), "a BOM, so that Excel reads UTF-8"
    return response, list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_the_csv_has_a_row_per_place_with_chinese_headings(client, demo):
    response, rows = download(client)
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    assert list(rows[0]) == [
        "标识",
        "地区",
        "类型",
        "上级",
        "在租房源（套）",
        "在租面积（㎡）",
        "租金中位数（元/㎡/天）",
        "租金下四分位（元/㎡/天）",
        "租金上四分位（元/㎡/天）",
        "售价中位数（元/㎡）",
        "近30天新增（套）",
        "近30天成交（套）",
        "去化天数（天）",
    ]
    in_region = select(func.count()).where(
        Place.in_region.is_(True),
        Place.kind.in_([PlaceKind.CITY, PlaceKind.DISTRICT, PlaceKind.TOWN]),
    )
    places = db.session.scalar(in_region)
    parks = db.session.scalar(select(func.count()).select_from(Park))
    assert len(rows) == places + parks
    assert [r["类型"] for r in rows][:2] == ["城市", "区县"]
    assert {r["类型"] for r in rows} == {"城市", "区县", "镇街", "园区"}
    assert len({r["标识"] for r in rows}) == len(rows)


def test_the_csv_figures_are_the_pages_figures(client, demo):
    _response, rows = download(client)
    by_slug = {r["标识"]: r for r in rows}
    city = by_slug["shaoxing"]
    now = figures.for_place(db.session.scalar(select(Place.id).where(Place.slug == "shaoxing")))
    assert city["地区"] == "绍兴市" and city["上级"] == ""
    assert city["在租房源（套）"] == str(now.rental_units)
    assert city["租金中位数（元/㎡/天）"] == f"{now.rent_median:.2f}"
    assert by_slug["ciwu"]["上级"] == "诸暨市" and by_slug["ciwu"]["类型"] == "镇街"
    few = [r for r in rows if int(r["在租房源（套）"]) < figures.MIN_UNITS]
    assert few and all(r["租金中位数（元/㎡/天）"] == "" for r in few)
