"""/accounts/inquiries: every inquiry a signed-in tenant sent, with its status and the agent's
answer, newest first, paginated; nobody else's."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from app.extensions import db
from tests.factories import BuildingFactory, InquiryFactory, UnitFactory, UserFactory
from tests.helpers import sign_in


def test_strangers_are_sent_to_sign_in(client):
    response = client.get("/accounts/inquiries")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login")


def test_a_tenant_sees_what_they_sent_and_the_answers(client, app):
    tenant, other = UserFactory(), UserFactory()
    building = BuildingFactory(name="次坞创业大厦", status="published")
    unit = UnitFactory(building=building, floor=5, area_m2=320, rent_per_m2_day=1.2)
    earlier = datetime(2026, 11, 1, 9, 0)
    InquiryFactory(
        building=building,
        unit=unit,
        user_id=tenant.id,
        message="想看 5 楼",
        status="contacted",
        answer="周六上午 10 点在大堂等您。",
        answered_at=earlier + timedelta(days=1),
        created_at=earlier,
    )
    InquiryFactory(
        building=building,
        user_id=tenant.id,
        message="整栋还有空吗",
        created_at=earlier + timedelta(days=2),
    )
    InquiryFactory(building=building, user_id=other.id, message="别人的留言")
    InquiryFactory(building=building, message="匿名留言")
    db.session.commit()
    sign_in(client, tenant)
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'<a class="nav-link" href="/accounts/inquiries">我的留言</a>', home)
    page = client.get("/accounts/inquiries").get_data(as_text=True)
    assert "别人的留言" not in page and "匿名留言" not in page
    cards = re.findall(r'<div class="card mb-2".*?</div></div>', page, re.S)
    assert len(cards) == 2
    newest, answered = cards
    assert "整栋还有空吗" in newest and "整栋 / 不限" in newest and "新留言" in newest
    assert "经纪人尚未回复" in newest
    assert "想看 5 楼" in answered and "出租 · 5F · 320 ㎡ · 1.2 元/㎡/天" in answered
    assert "已联系" in answered and "周六上午 10 点在大堂等您。" in answered
    assert "2026年11月2日" in answered, "when the agent answered"
    assert f'href="/listings/{building.id}"' in answered


def test_the_list_is_paginated_and_empty_says_how_to_start(client):
    tenant = UserFactory()
    building = BuildingFactory(status="published")
    db.session.commit()
    sign_in(client, tenant)
    assert "您还没有发出留言" in client.get("/accounts/inquiries").get_data(as_text=True)
    for n in range(23):
        InquiryFactory(building=building, user_id=tenant.id, message=f"第{n}条")
    db.session.commit()
    first = client.get("/accounts/inquiries").get_data(as_text=True)
    second = client.get("/accounts/inquiries?page=2").get_data(as_text=True)
    assert first.count('class="card mb-2"') == 20 and second.count('class="card mb-2"') == 3
    assert 'href="/accounts/inquiries?page=2"' in first
    assert client.get("/accounts/inquiries?page=abc").status_code == 200
    assert client.get("/accounts/inquiries?page=99999999999999999999").status_code == 200
