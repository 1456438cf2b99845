"""The agent card in Chromium: 显示电话 at desktop size; the bottom bar (电话, 留言) on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import User
from tests.browser.conftest import PHONE, screenshot
from tests.factories import AgentFactory, BuildingFactory

MOBILE = "13812345678"


@pytest.fixture
def listed(app):
    agent = AgentFactory(name="陈经理", company="店口商务置业", mobile=MOBILE)
    building = BuildingFactory(owner=agent, status="published", name="名片测试大厦")
    db.session.commit()
    return agent, building


def reveals(agent_id: int) -> int:
    db.session.expire_all()
    return db.session.get(User, agent_id).phone_reveals


def test_desktop_card_reveals_the_number_in_place(live_server, page, listed):
    agent, building = listed
    page.goto(f"{live_server}/listings/{building.id}")
    card = page.locator("#agent-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("陈经理")
    expect(card).to_contain_text("店口商务置业")
    expect(card).to_contain_text("138****5678")
    expect(page.locator("#phone-bar")).to_be_hidden()
    card.get_by_role("button", name="显示电话").click()
    number = card.locator(f'a[href="tel:{MOBILE}"]')
    expect(number).to_have_text(MOBILE)
    expect(card.get_by_role("button", name="显示电话")).to_have_count(0)
    assert page.url.endswith(f"/listings/{building.id}")  # no page load: the script did it
    assert reveals(agent.id) == 1
    screenshot(page, "agent-card-desktop")
    card.get_by_role("link", name="陈经理").click()
    expect(page.locator("h1")).to_contain_text("陈经理")
    expect(page.locator(".building-card")).to_contain_text("名片测试大厦")
    expect(page.locator(".agent-phone")).to_contain_text("138****5678")
    page.get_by_role("button", name="显示电话").click()
    expect(page.locator(f'.agent-phone a[href="tel:{MOBILE}"]')).to_have_text(MOBILE)
    assert reveals(agent.id) == 2
    screenshot(page, "agent-page-desktop")
    assert page.js_errors == []


def test_phone_bar_offers_call_and_message(live_server, phone, listed):
    agent, building = listed
    phone.goto(f"{live_server}/listings/{building.id}")
    bar = phone.locator("#phone-bar")
    expect(bar).to_be_visible()
    box = bar.bounding_box()
    assert box is not None and abs(box["y"] + box["height"] - PHONE["height"]) < 2
    screenshot(phone, "agent-card-phone")
    # The viewport alone too: what a person on a phone sees, the bar at its bottom.
    phone.screenshot(path=str(screenshot(phone, "agent-card-phone").with_name("agent-bar.png")))

    bar.get_by_role("link", name="留言").click()
    phone.wait_for_function("() => location.hash === '#inquiry'")
    # Bootstrap scrolls smoothly: wait until the form's heading has arrived near the top.
    phone.wait_for_function(
        "() => Math.abs(document.getElementById('inquiry').getBoundingClientRect().top) < 5"
    )

    bar.get_by_role("button", name="电话").click()
    expect(bar.locator(f'a[href="tel:{MOBILE}"]')).to_have_text("电话")
    expect(phone.locator("#agent-card")).to_contain_text(MOBILE)
    assert reveals(agent.id) == 1
    assert phone.js_errors == []
