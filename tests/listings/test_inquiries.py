"""The inquiry form on a building page: about the building or one of its units, the page it
leads back to (the confirmation where the form was, or the errors in view), and the email
that tells the building's agent."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Inquiry, OutboundEmail
from tests.factories import AgentFactory, BuildingFactory, UnitFactory, UserFactory
from tests.helpers import sign_in

SENT = {"name": "王女士", "mobile": "13912345678", "message": "想看 5 楼，周六方便吗？"}


@pytest.fixture
def listed(app) -> dict:
    """A published building of an agent with two available units and a leased one, and
    another agent's published building with a unit."""
    agent = AgentFactory(name="张经纪", email="zhang@agents.example")
    building = BuildingFactory(name="次坞创业大厦", owner=agent, status="published")
    units = [
        UnitFactory(building=building, floor=5, area_m2=320, rent_per_m2_day=1.2),
        UnitFactory(building=building, floor=8, area_m2=150, rent_per_m2_day=1.5),
    ]
    leased = UnitFactory(building=building, floor=9, status="leased")
    other = BuildingFactory(name="别家大厦", status="published")
    elsewhere = UnitFactory(building=other, floor=3)
    db.session.commit()
    return {
        "agent": agent,
        "building": building,
        "units": units,
        "leased": leased,
        "other": other,
        "elsewhere": elsewhere,
    }


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Inquiry))


def _form(page: str) -> str:
    return re.search(r'<form id="inquiry-form".*?</form>', page, re.S)[0]


def test_the_form_offers_the_buildings_available_units_after_the_whole_building(client, listed):
    page = client.get(f"/listings/{listed['building'].id}").get_data(as_text=True)
    select_html = re.search(r'<select[^>]*name="unit".*?</select>', _form(page), re.S)[0]
    options = re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', select_html)
    assert options[0] == ("", "整栋 / 不限")
    offered = {value for value, _label in options[1:]}
    assert offered == {str(u.id) for u in listed["units"]}, "the leased unit is not offered"
    assert ("出租 · 5F · 320 ㎡ · 1.2 元/㎡/天") in [label for _v, label in options]


def test_an_inquiry_about_a_unit_is_stored_with_it(client, listed):
    unit = listed["units"][1]
    data = {**SENT, "unit": str(unit.id)}
    response = client.post(f"/listings/{listed['building'].id}/inquiry", data=data)
    assert response.status_code == 302
    stored = db.session.scalar(select(Inquiry))
    assert (stored.building_id, stored.unit_id, stored.status) == (
        listed["building"].id,
        unit.id,
        "new",
    )


def test_an_inquiry_about_the_whole_building_has_no_unit(client, listed):
    response = client.post(f"/listings/{listed['building'].id}/inquiry", data=SENT)
    assert response.status_code == 302
    assert db.session.scalar(select(Inquiry.unit_id)) is None


@pytest.mark.parametrize("which", ["elsewhere", "leased", "made_up", "not_a_number"])
def test_a_unit_that_is_not_an_available_one_of_the_building_is_refused(client, listed, which):
    value = {
        "elsewhere": str(listed["elsewhere"].id),
        "leased": str(listed["leased"].id),
        "made_up": "999999",
        "not_a_number": "五楼",
    }[which]
    response = client.post(
        f"/listings/{listed['building'].id}/inquiry", data={**SENT, "unit": value}
    )
    assert response.status_code == 400
    assert "所选房源不属于该楼盘或已不可租售" in _form(response.get_data(as_text=True))
    assert _count() == 0


def test_sent_leads_back_to_the_form_with_the_confirmation_in_its_place(app, client, listed):
    url = f"/listings/{listed['building'].id}"
    response = client.post(f"{url}/inquiry", data=SENT)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{url}#inquiry")
    page = client.get(url).get_data(as_text=True)
    confirmation = re.search(r'<h2[^>]*id="inquiry".*?</div>\s*</div>', page, re.S)[0]
    assert "留言已提交，经纪人会尽快与您联系" in confirmation
    assert 'id="inquiry-form"' not in page, "the confirmation takes the form's place"
    assert page.count("留言已提交") == 1, "not also at the top of the page"
    # Once: the next look at the page (and everyone else's) has the blank form again.
    again = client.get(url).get_data(as_text=True)
    assert "留言已提交" not in again and 'id="inquiry-form"' in again
    other = app.test_client().get(url).get_data(as_text=True)
    assert "留言已提交" not in other


def test_a_signed_in_tenant_is_told_where_the_answer_will_be(client, listed):
    tenant = UserFactory(role="tenant")
    db.session.commit()
    sign_in(client, tenant)
    url = f"/listings/{listed['building'].id}"
    client.post(f"{url}/inquiry", data=SENT)
    page = client.get(url).get_data(as_text=True)
    assert 'href="/accounts/inquiries"' in page
    assert db.session.scalar(select(Inquiry.user_id)) == tenant.id


def test_refused_the_page_opens_at_the_form_with_its_errors(client, listed):
    url = f"/listings/{listed['building'].id}"
    data = {**SENT, "mobile": "12345", "unit": str(listed["units"][0].id)}
    response = client.post(f"{url}/inquiry", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    form = _form(page)
    assert f'action="{url}/inquiry#inquiry"' in form, "the browser lands on #inquiry"
    assert "请输入 11 位中国大陆手机号码" in form and "留言未提交" in form
    autofocus = re.findall(r"<(?:input|select|textarea)[^>]*\bautofocus\b[^>]*>", form)
    assert len(autofocus) == 1 and 'name="mobile"' in autofocus[0]
    assert 'value="王女士"' in form, "what the tenant typed is kept"
    chosen = re.search(r"<option[^>]*selected[^>]*>", form)[0]
    assert f'value="{listed["units"][0].id}"' in chosen
    assert 'id="inquiry"' in page
    assert _count() == 0


def test_the_blank_form_in_the_shared_page_has_no_focus_and_no_errors(client, listed):
    page = client.get(f"/listings/{listed['building'].id}").get_data(as_text=True)
    form = _form(page)
    assert "autofocus" not in form and "留言未提交" not in form
    assert "#inquiry" in re.search(r'action="([^"]+)"', form)[1]


def test_the_agent_receives_an_email_with_everything_needed_to_call_back(
    app, client, listed, mailbox
):
    unit = listed["units"][0]
    data = {**SENT, "unit": str(unit.id), "preferred_time": "周六上午"}
    assert client.post(f"/listings/{listed['building'].id}/inquiry", data=data).status_code == 302
    [mail] = mailbox.wait_for(1)
    inquiry = db.session.scalar(select(Inquiry))
    assert mail["To"] == "zhang@agents.example"
    assert mail["Subject"] == "新留言：次坞创业大厦 · 王女士"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    for part in (text, html):
        for expected in (
            "次坞创业大厦",
            "出租 · 5F · 320 ㎡ · 1.2 元/㎡/天",
            "王女士",
            "13912345678",  # in full: the agent calls back
            "想看 5 楼，周六方便吗？",
            "周六上午",
        ):
            assert expected in part, expected
    link = re.search(r"https?://\S+/agent/inquiries\S*", text)[0]
    assert f'href="{link}"' in html
    stored = db.session.scalar(select(OutboundEmail))
    assert (stored.key, stored.kind) == (f"inquiry:{inquiry.id}", "inquiry_new")
    # The link opens the agent's inquiries, this one among them.
    parts = urlsplit(link)
    assert parts.fragment == f"inquiry-{inquiry.id}"
    sign_in(client, listed["agent"])
    inbox = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert inbox.status_code == 200
    assert f'id="inquiry-{inquiry.id}"' in inbox.get_data(as_text=True)


def test_the_inquiry_is_kept_when_the_building_has_no_agent_to_tell(client, listed, mailbox):
    building = BuildingFactory(owner=None, status="published")
    db.session.commit()
    assert client.post(f"/listings/{building.id}/inquiry", data=SENT).status_code == 302
    assert _count() == 1
    assert db.session.scalar(select(func.count()).select_from(OutboundEmail)) == 0


def test_a_refused_inquiry_sends_nothing(client, listed, mailbox):
    data = {**SENT, "message": ""}
    assert client.post(f"/listings/{listed['building'].id}/inquiry", data=data).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(OutboundEmail)) == 0
    assert mailbox.messages == []


def _value(page: str, name: str) -> str | None:
    field = re.search(rf'<input[^>]*name="{name}"[^>]*>', _form(page))[0]
    found = re.search(r'value="([^"]*)"', field)
    return found[1] if found else ""


def test_a_signed_in_tenant_finds_their_details_filled_in_and_nobody_else_sees_them(
    app, client, listed
):
    tenant = UserFactory(name="王女士", mobile="13800001111")
    db.session.commit()
    url = f"/listings/{listed['building'].id}"
    anonymous = app.test_client()
    assert _value(anonymous.get(url).get_data(as_text=True), "name") == ""  # shared copy cached

    sign_in(client, tenant)
    page = client.get(url).get_data(as_text=True)
    assert (_value(page, "name"), _value(page, "mobile")) == ("王女士", "13800001111")

    # The next inquiry starts from the details the tenant gave last.
    client.post(f"{url}/inquiry", data={**SENT, "name": "王经理", "mobile": "13912345678"})
    client.get(url)  # the confirmation
    page = client.get(url).get_data(as_text=True)
    assert (_value(page, "name"), _value(page, "mobile")) == ("王经理", "13912345678")

    shared = anonymous.get(url).get_data(as_text=True)
    assert "王经理" not in shared and "13912345678" not in shared
    assert _value(shared, "name") == ""
