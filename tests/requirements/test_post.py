"""/requirements/new: open to anyone, prefilled for a signed-in user, every field checked (a
refused form is 422 with Chinese messages and stores nothing), a confirmation page, and an email
to the tenant whose link closes the requirement."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from app import create_app
from app.extensions import db, limiter
from app.models import OutboundEmail, Requirement, RequirementPlace
from app.models.base import utcnow
from app.requirements.services import move_in_months
from tests.factories import UserFactory
from tests.helpers import sign_in


def _month(months_ahead: int) -> str:
    today = utcnow().date().replace(day=1)
    n = today.year * 12 + today.month - 1 + months_ahead
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def valid(where, **changes) -> dict:
    data = {
        "places": [str(where.ciwu.id), str(where.zhuji.id)],
        "parks": [str(where.park.id)],
        "area_min": "150",
        "area_max": "300",
        "budget_unit": "day",
        "budget_min": "",
        "budget_max": "1.8",
        "grade": "乙级",
        "move_in": _month(2),
        "name": "王女士",
        "mobile": "13812345678",
        "email": "wang@tenant.example",
        "note": "需要可注册公司",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Requirement))


def test_the_form_lists_the_places_as_chips_and_is_in_the_menu(client, where):
    page = client.get("/requirements/new").get_data(as_text=True)
    assert '<a class="nav-link" href="/requirements/new">委托找房</a>' in page
    assert f'name="places" value="{where.ciwu.id}"' in page
    assert f'name="places" value="{where.zhuji.id}"' in page and "诸暨市（全区县）" in page
    assert f'name="parks" value="{where.park.id}"' in page
    assert re.search(r'id="move_in"[^>]*type="month"', page)
    assert re.search(r'id="name"[^>]*value=""', page), "blank for a visitor"


def test_a_signed_in_user_finds_their_details_filled_in(client, where):
    user = UserFactory(name="林女士", email="lin@example.com", mobile="13700002222")
    db.session.commit()
    sign_in(client, user)
    page = client.get("/requirements/new").get_data(as_text=True)
    assert 'value="林女士"' in page
    assert 'value="13700002222"' in page
    assert 'value="lin@example.com"' in page


def test_a_visitor_posts_a_requirement_and_gets_the_confirmation(client, where):
    response = client.post("/requirements/new", data=valid(where))
    assert response.status_code == 302 and response.headers["Location"] == "/requirements/sent"
    (found,) = db.session.scalars(select(Requirement)).all()
    assert (found.name, found.mobile, found.email) == (
        "王女士",
        "13812345678",
        "wang@tenant.example",
    )
    assert (found.area_min, found.area_max, found.budget_min, found.budget_max) == (
        150,
        300,
        None,
        1.8,
    )
    assert found.budget_unit == "day" and found.grade == "乙级" and not found.anywhere
    assert found.move_in == date.fromisoformat(_month(2) + "-01")
    assert found.user_id is None and found.status == "open" and len(found.token) == 43
    assert (found.expires_at - found.created_at).days == 30
    places = db.session.scalars(select(RequirementPlace)).all()
    assert {(p.place_id, p.park_id) for p in places} == {
        (where.ciwu.id, None),
        (where.zhuji.id, None),
        (None, where.park.id),
    }
    page = client.get("/requirements/sent").get_data(as_text=True)
    assert "求租已发布" in page and "wang@tenant.example" in page
    assert "次坞镇、诸暨市、次坞镇临杭产业园" in page
    assert "150–300 ㎡" in page and "1.8 元/㎡/天以内" in page and "乙级" in page


def test_no_place_chosen_is_the_whole_region(client, where):
    data = valid(where, places=[], parks=[], budget_unit="month", budget_max="20000")
    assert client.post("/requirements/new", data=data).status_code == 302
    found = db.session.scalar(select(Requirement))
    assert found.anywhere and found.places == []
    page = client.get("/requirements/sent").get_data(as_text=True)
    assert "不限（绍兴全市）" in page and "20000 元/月以内" in page


def test_the_confirmation_is_only_for_who_posted(client, app):
    response = client.get("/requirements/sent")
    assert response.status_code == 302 and response.headers["Location"] == "/requirements/new"


def test_a_signed_in_tenants_requirement_is_theirs(client, where):
    user = UserFactory()
    db.session.commit()
    sign_in(client, user)
    assert client.post("/requirements/new", data=valid(where)).status_code == 302
    assert db.session.scalar(select(Requirement.user_id)) == user.id


REFUSALS = [
    ({"name": "  "}, "请填写称呼"),
    ({"name": "名" * 21}, "称呼最多 20 个字"),
    ({"mobile": "1381234567"}, "11 位中国大陆手机号码"),
    ({"mobile": "１３８１２３４５６７８"}, "11 位中国大陆手机号码"),  # full-width digits
    ({"mobile": None}, "请填写手机号码"),
    ({"email": "not-an-address"}, "邮箱格式不正确"),
    ({"email": ""}, "请填写邮箱"),
    ({"area_min": "", "area_max": ""}, "请填写面积范围"),
    ({"area_min": "300", "area_max": "150"}, "最大面积不能小于最小面积"),
    ({"area_max": "100001"}, "面积应在 1 到 100000 ㎡ 之间"),
    ({"area_min": "0"}, "面积应在 1 到 100000 ㎡ 之间"),
    ({"area_min": "abc"}, "请输入有效的数字"),
    ({"area_min": "nan"}, "请输入有效的数字"),
    ({"area_max": "1e400"}, "请输入有效的数字"),
    ({"budget_min": "2", "budget_max": "1"}, "最高预算不能低于最低预算"),
    ({"budget_max": "101"}, "预算应大于 0 且不超过 100 元/㎡/天"),
    ({"budget_max": "-1"}, "预算应大于 0"),
    ({"budget_unit": "month", "budget_max": "10000001"}, "不超过 10,000,000 元/月"),
    ({"budget_unit": "year"}, "请选择预算单位"),
    ({"grade": "超甲级"}, "选择"),
    ({"move_in": _month(-1)}, "入驻月份不能早于本月"),
    ({"move_in": _month(25)}, "入驻月份请选在"),
    ({"move_in": "2027-13"}, "请选择入驻月份"),
    ({"move_in": "明年三月"}, "请选择入驻月份"),
    ({"places": ["999999"]}, "请从列表中选择镇街或区县"),
    ({"places": ["abc"]}, "请从列表中选择镇街或区县"),
    ({"parks": ["99999999999999999999"]}, "请从列表中选择园区"),
    ({"note": "字" * 501}, "补充说明最多 500 个字"),
]


@pytest.mark.parametrize(("change", "message"), REFUSALS)
def test_a_refused_form_says_why_and_stores_nothing(client, where, change, message):
    response = client.post("/requirements/new", data=valid(where, **change))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page, page[page.find("invalid-feedback") - 300 :][:800]
    assert "求租未发布" in page
    assert count() == 0
    assert db.session.scalar(select(func.count()).select_from(OutboundEmail)) == 0


def test_at_most_five_places_and_parks_together(client, gazetteer, where):
    towns = [p for p in gazetteer.values() if p.kind == "town" and p.in_region][:4]
    data = valid(where, places=[str(t.id) for t in towns], parks=[str(where.park.id)])
    assert client.post("/requirements/new", data=data).status_code == 302
    data["parks"].append(str(where.other_park.id))
    response = client.post("/requirements/new", data=data)
    assert response.status_code == 422
    assert "区域和园区合计最多选 5 个" in response.get_data(as_text=True)
    assert count() == 1


def test_a_refused_form_keeps_what_was_chosen(client, where):
    page = client.post(
        "/requirements/new", data=valid(where, mobile="123", budget_unit="month")
    ).get_data(as_text=True)
    assert re.search(rf'name="places" value="{where.ciwu.id}"[^>]*checked', page)
    assert re.search(r'value="month"[^>]*checked|checked[^>]*value="month"', page)
    assert 'value="王女士"' in page
    assert re.search(r'id="mobile"[^>]*autofocus|autofocus[^>]*id="mobile"', page)


def test_the_months_a_tenant_may_name():
    assert move_in_months(date(2026, 12, 7)) == (date(2026, 12, 1), date(2028, 12, 1))
    assert move_in_months(date(2027, 1, 31)) == (date(2027, 1, 1), date(2029, 1, 1))


def test_the_tenant_gets_an_email_whose_link_closes_it(app, client, where, mailbox):
    client.post("/requirements/new", data=valid(where))
    (message,) = mailbox.wait_for(1)
    assert message["To"] == "wang@tenant.example"
    assert "求租已发布" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "次坞镇、诸暨市、次坞镇临杭产业园" in text and "150–300 ㎡" in text
    (link,) = set(re.findall(r"https?://\S+/requirements/[\w-]+/close", text))
    assert link.startswith(app.config["SITE_URL"])
    assert f'href="{link}"' in html
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200 and "确认关闭求租" in page.get_data(as_text=True)


def test_posting_is_rate_limited(database_url, tmp_path):
    """Three a minute from one address; the fourth is told to wait, in Chinese, and stored
    nothing. (An app of its own with limits on: the testing config turns them off.)"""
    app = create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": True,
            "MAIL_OUTBOX": str(tmp_path / "outbox"),
        }
    )
    limiter.reset()
    try:
        with app.app_context():
            client = app.test_client()
            data = {"area_min": "100", "name": "王女士", "mobile": "13812345678"}
            data["email"] = "wang@tenant.example"
            codes = [client.post("/requirements/new", data=data).status_code for _ in range(4)]
            assert codes == [302, 302, 302, 429]
            refused = client.post("/requirements/new", data=data)
            assert "操作过于频繁" in refused.get_data(as_text=True)
            assert client.get("/requirements/new").status_code == 200, "the form still opens"
            assert count() == 3
            db.session.remove()
            db.engine.dispose()
    finally:
        limiter.reset()
