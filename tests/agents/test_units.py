"""Units: add and edit with validation by deal, mark reserved/leased/sold, 刷新 and delete."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Unit
from app.models.base import utcnow
from tests.factories import UnitFactory

RENT = {
    "deal": "rent",
    "floor": "5",
    "area_m2": "120",
    "rent_per_m2_day": "1.5",
    "price_per_m2": "",
    "decoration": "精装",
    "status": "available",
    "available_from": "2026-12-01",
}
SALE = {**RENT, "deal": "sale", "rent_per_m2_day": "", "price_per_m2": "8000"}


def count_units() -> int:
    return db.session.scalar(select(func.count()).select_from(Unit))


def test_add_rent_and_sale_units(as_owner, building):
    url = f"/agent/buildings/{building.id}/units/new"
    assert as_owner.get(url).status_code == 200
    assert as_owner.post(url, data=RENT).status_code == 302
    assert as_owner.post(url, data={**SALE, "rent_per_m2_day": "9"}).status_code == 302
    rent, sale = sorted(building.units, key=lambda u: u.deal)
    assert (rent.rent_per_m2_day, rent.price_per_m2) == (1.5, None)
    assert rent.available_from == date(2026, 12, 1)
    assert (sale.price_per_m2, sale.rent_per_m2_day) == (8000, None)  # the other price is dropped
    page = as_owner.get(f"/agent/buildings/{building.id}").get_data(as_text=True)
    assert "1.5 元/㎡/天" in page and "8,000 元/㎡" in page and "刷新" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**RENT, "deal": ""}, "请选择出租或出售"),
        ({**RENT, "deal": "swap"}, "请选择有效的选项"),
        ({**RENT, "area_m2": ""}, "请输入面积"),
        ({**RENT, "area_m2": "0"}, "面积须大于 0 且不超过 100000 ㎡"),
        ({**RENT, "area_m2": "-3"}, "面积须大于 0 且不超过 100000 ㎡"),
        ({**RENT, "area_m2": "100001"}, "面积须大于 0 且不超过 100000 ㎡"),
        ({**RENT, "area_m2": "大"}, "请输入数字"),
        ({**RENT, "rent_per_m2_day": ""}, "出租房源请填写租金"),
        ({**RENT, "rent_per_m2_day": "0.05"}, "租金须在 0.1 到 50 元/㎡/天之间"),
        ({**RENT, "rent_per_m2_day": "51"}, "租金须在 0.1 到 50 元/㎡/天之间"),
        ({**SALE, "price_per_m2": ""}, "出售房源请填写售价"),
        ({**SALE, "price_per_m2": "50"}, "售价须在 100 到 1000000 元/㎡之间"),
        ({**RENT, "decoration": "土豪装"}, "请选择有效的选项"),
        ({**RENT, "decoration": ""}, "请选择装修情况"),
        ({**RENT, "status": "sold"}, "出租房源不能标为已售出"),
        ({**SALE, "status": "leased"}, "出售房源不能标为已租出"),
        ({**RENT, "floor": "21"}, "楼层不能高于楼盘总楼层（20 层）"),
        ({**RENT, "floor": "-9"}, "楼层须在 -5 到 200 之间"),
        ({**RENT, "available_from": "2026-13-45"}, "请输入有效日期"),
    ],
)
def test_bad_unit_input_is_refused_beside_the_field(as_owner, building, data, message):
    response = as_owner.post(f"/agent/buildings/{building.id}/units/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page and "invalid-feedback" in page
    assert count_units() == 0


def test_edit_unit_confirms_it(as_owner, building):
    unit = UnitFactory(building=building, confirmed_at=datetime(2020, 1, 1))
    db.session.commit()
    response = as_owner.post(f"/agent/units/{unit.id}/edit", data={**RENT, "area_m2": "200"})
    assert response.status_code == 302
    assert unit.area_m2 == 200 and unit.confirmed_at > datetime(2025, 1, 1)


def test_mark_status_by_deal(as_owner, building):
    unit = UnitFactory(building=building)
    db.session.commit()
    for status in ("reserved", "leased", "available"):
        response = as_owner.post(f"/agent/units/{unit.id}/status", data={"status": status})
        assert response.status_code == 302
        assert unit.status == status
    response = as_owner.post(f"/agent/units/{unit.id}/status", data={"status": "sold"})
    assert response.status_code == 422
    assert "该状态与出租/出售类型不符" in response.get_data(as_text=True)
    assert unit.status == "available"
    response = as_owner.post(f"/agent/units/{unit.id}/status", data={"status": "<b>x</b>"})
    assert response.status_code == 422


def test_confirm_unit_refreshes_it(as_owner, building):
    unit = UnitFactory(building=building, confirmed_at=datetime(2020, 1, 1))
    db.session.commit()
    page = as_owner.get("/agent/").get_data(as_text=True)
    assert "已过期" in page
    response = as_owner.post(f"/agent/units/{unit.id}/confirm", data={"back": "dashboard"})
    assert response.status_code == 302 and response.headers["Location"] == "/agent/"
    assert utcnow() - unit.confirmed_at < timedelta(minutes=1)
    assert "已确认" in as_owner.get("/agent/").get_data(as_text=True)


def test_delete_unit(as_owner, building):
    unit = UnitFactory(building=building)
    db.session.commit()
    assert as_owner.post(f"/agent/units/{unit.id}/delete").status_code == 302
    assert count_units() == 0
    assert as_owner.post(f"/agent/units/{unit.id}/delete").status_code == 404
