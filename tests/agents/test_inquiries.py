"""The agent's inquiries: filtered by status, answered (the tenant emailed when they sent it
signed in), moved along 新留言 → 已联系 → 已带看 → 已成交 or 无效, by the building's owner only."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.agent import services
from app.extensions import db
from app.models import Inquiry, OutboundEmail
from tests.factories import InquiryFactory, UnitFactory, UserFactory
from tests.helpers import sign_in


@pytest.fixture
def inquiry(building) -> Inquiry:
    found = InquiryFactory(building=building, message="想看 5 楼")
    db.session.commit()
    return found


def _emails() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboundEmail))


def _status(client, inquiry: Inquiry, status: str):
    return client.post(f"/agent/inquiries/{inquiry.id}/status", data={"status": status})


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (("contacted", "viewed", "closed"), True),
        (("viewed", "closed"), True),
        (("closed",), True),
        (("contacted", "invalid"), True),
        (("viewed", "invalid"), True),
        (("invalid",), True),
    ],
)
def test_an_inquiry_moves_forward_along_the_flow(as_owner, inquiry, path, allowed):
    for step in path:
        response = _status(as_owner, inquiry, step)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"#inquiry-{inquiry.id}")
        db.session.refresh(inquiry)
        assert inquiry.status == step


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("contacted", "new"),
        ("viewed", "contacted"),
        ("closed", "invalid"),
        ("closed", "viewed"),
        ("invalid", "contacted"),
        ("new", "new"),
    ],
)
def test_an_invalid_transition_is_refused_with_a_message(as_owner, inquiry, start, to):
    inquiry.status = start
    db.session.commit()
    response = _status(as_owner, inquiry, to)
    assert response.status_code == 409
    labels = {"new": "新留言", "contacted": "已联系", "viewed": "已带看", "closed": "已成交"}
    labels["invalid"] = "无效"
    page = response.get_data(as_text=True)
    assert f"“{labels[start]}”的留言不能改为“{labels[to]}”" in page
    if start != "invalid":  # an invalid inquiry has no forms left
        assert 'name="next" value="/agent/inquiries"' in page, "the next post leads back here"
    db.session.refresh(inquiry)
    assert inquiry.status == start


def test_an_unknown_status_is_refused(as_owner, inquiry):
    response = _status(as_owner, inquiry, "answered")
    assert response.status_code == 422
    assert "请选择有效的选项" in response.get_data(as_text=True)
    db.session.refresh(inquiry)
    assert inquiry.status == "new"


def test_the_list_offers_only_the_steps_allowed_from_each_status(as_owner, building):
    InquiryFactory(building=building, name="甲", status="viewed")
    InquiryFactory(building=building, name="乙", status="closed")
    db.session.commit()
    page = as_owner.get("/agent/inquiries").get_data(as_text=True)
    cards = dict(re.findall(r"<strong>(\S)</strong>(.*?)</div></div>", page, re.S))
    assert "标为已成交" in cards["甲"] and "标为无效" in cards["甲"]
    assert "标为已联系" not in cards["甲"]
    assert "标为" not in cards["乙"]


def test_the_list_filters_by_status_and_counts_each(as_owner, building):
    InquiryFactory(building=building, name="新一")
    InquiryFactory(building=building, name="联系过", status="contacted")
    db.session.commit()
    page = as_owner.get("/agent/inquiries?status=contacted").get_data(as_text=True)
    assert "联系过" in page and "新一" not in page
    assert re.search(r"新留言 1</a>", page) and re.search(r"已联系 1</a>", page)
    assert re.search(r"全部 2</a>", page)


def test_an_answer_to_an_anonymous_inquiry_is_kept_without_an_email(as_owner, inquiry, mailbox):
    response = as_owner.post(
        f"/agent/inquiries/{inquiry.id}/answer", data={"answer": "您好，周六上午可以看房。"}
    )
    assert response.status_code == 302
    db.session.refresh(inquiry)
    assert inquiry.answer == "您好，周六上午可以看房。" and inquiry.answered_at is not None
    assert inquiry.status == "contacted", "an answered new inquiry has been contacted"
    assert _emails() == 0
    page = as_owner.get("/agent/inquiries").get_data(as_text=True)
    assert "您好，周六上午可以看房。" in page and "回复已保存" in page


def test_an_answer_reaches_a_signed_in_tenant_by_email(as_owner, building, mailbox):
    tenant = UserFactory(name="王女士", email="wang@tenant.example")
    unit = UnitFactory(building=building, floor=5, area_m2=320, rent_per_m2_day=1.2)
    inquiry = InquiryFactory(building=building, unit=unit, user_id=tenant.id, message="想看 5 楼")
    db.session.commit()
    url = f"/agent/inquiries/{inquiry.id}/answer"
    assert (
        as_owner.post(url, data={"answer": "您好，周六上午 10 点在大堂等您。"}).status_code == 302
    )
    [mail] = mailbox.wait_for(1)
    assert mail["To"] == "wang@tenant.example"
    assert mail["Subject"] == f"经纪人回复了您的留言：{building.name}"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    for part in (text, html):
        assert "您好，周六上午 10 点在大堂等您。" in part and "想看 5 楼" in part
        assert "出租 · 5F · 320 ㎡ · 1.2 元/㎡/天" in part
    link = re.search(r"https?://\S+/accounts/inquiries", text)[0]
    assert f'href="{link}"' in html
    assert db.session.scalar(select(OutboundEmail.key)) == f"answer:{inquiry.id}:1"
    # The same answer again (a double click) is not a second email; a new one is.
    as_owner.post(url, data={"answer": "您好，周六上午 10 点在大堂等您。"})
    as_owner.post(url, data={"answer": "改到周日上午，可以吗？"})
    mails = mailbox.wait_for(2)
    assert len(mails) == 2 and "改到周日上午" in mails[1].get_body(("plain",)).get_content()
    keys = db.session.scalars(select(OutboundEmail.key).order_by(OutboundEmail.id)).all()
    assert keys == [f"answer:{inquiry.id}:1", f"answer:{inquiry.id}:2"]


@pytest.mark.parametrize(
    ("answer", "message"),
    [("", "请填写回复内容"), ("   ", "请填写回复内容"), ("长" * 1001, "回复最多 1000 个字")],
)
def test_a_bad_answer_is_refused_with_a_message(as_owner, inquiry, answer, message):
    response = as_owner.post(f"/agent/inquiries/{inquiry.id}/answer", data={"answer": answer})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.refresh(inquiry)
    assert inquiry.answer is None and inquiry.status == "new"


def test_an_invalid_inquiry_cannot_be_answered(as_owner, inquiry):
    inquiry.status = "invalid"
    db.session.commit()
    response = as_owner.post(f"/agent/inquiries/{inquiry.id}/answer", data={"answer": "你好"})
    assert response.status_code == 409 and "已标为无效的留言不能回复" in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize(("role", "expected"), [("other_agent", 404), ("tenant", 403)])
def test_only_the_owner_answers_or_moves_an_inquiry(client, people, inquiry, role, expected):
    sign_in(client, people[role])
    answer = client.post(f"/agent/inquiries/{inquiry.id}/answer", data={"answer": "抢单"})
    moved = _status(client, inquiry, "invalid")
    assert (answer.status_code, moved.status_code) == (expected, expected)
    db.session.refresh(inquiry)
    assert (inquiry.status, inquiry.answer) == ("new", None)
    assert _emails() == 0


def test_the_flow_table_is_forward_only_and_ends_in_closed_or_invalid():
    order = ["new", "contacted", "viewed", "closed"]
    for status, steps in services.INQUIRY_TRANSITIONS.items():
        for step in steps:
            assert step == "invalid" or order.index(step) > order.index(status)
    assert services.INQUIRY_TRANSITIONS["closed"] == ()
    assert services.INQUIRY_TRANSITIONS["invalid"] == ()


def test_the_list_is_paginated(as_owner, building):
    for n in range(25):
        InquiryFactory(building=building, name=f"客{n:02d}")
    db.session.commit()
    first = as_owner.get("/agent/inquiries").get_data(as_text=True)
    second = as_owner.get("/agent/inquiries?page=2").get_data(as_text=True)
    assert first.count('class="card mb-2"') == 20 and second.count('class="card mb-2"') == 5
    assert as_owner.get("/agent/inquiries?page=999").status_code == 200
