"""Journey (a) of issue 18 in Chromium, at desktop and phone size: a tenant saves a search from
its results page (订阅此搜索, 即时), an agent publishes a matching building from the agents'
area, the tenant's instant email arrives, and its link opens the building."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Place, SavedSearch
from app.models.base import utcnow
from tests.browser.conftest import PHONE, _page, screenshot
from tests.browser.test_password_reset import sign_in
from tests.factories import PASSWORD, AgentFactory, BuildingFactory, UnitFactory, UserFactory


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_saved_search_emails_the_building_an_agent_publishes(
    request, app, live_server, browser, mailbox, gazetteer, size
):
    app.config["SITE_URL"] = live_server  # emailed links lead to the site under test
    ciwu = db.session.scalar(select(Place).where(Place.slug == "ciwu"))
    agent = AgentFactory(name="张经纪", email="zhang@agents.example")
    building = BuildingFactory(
        name="次坞临杭创业大厦",
        owner=agent,
        status="draft",
        town_id=ciwu.id,
        district_id=ciwu.parent_id,
        lat=ciwu.lat,
        lon=ciwu.lon,
    )
    UnitFactory(building=building, floor=6, area_m2=180, rent_per_m2_day=1.3)
    UserFactory(name="陈先生", email="chen@tenant.example", email_verified_at=utcnow())
    db.session.commit()

    tenant = request.getfixturevalue("page" if size == "desktop" else "phone")
    sign_in(tenant, live_server, "chen@tenant.example", PASSWORD)
    tenant.goto(f"{live_server}/listings/?town=次坞镇&rent_max=2&sort=rent_asc")
    tenant.get_by_role("button", name="订阅此搜索").click()
    form = tenant.locator("#subscribe-form")
    expect(tenant.locator("#subscribe")).to_have_class(re.compile(r"(^| )show( |$)"))  # opened
    expect(form).to_be_visible()
    expect(tenant.get_by_label("订阅名称")).to_have_value("次坞镇 · ≤2 元/㎡/天")
    tenant.get_by_label("订阅名称").fill("次坞 2 元以内")
    tenant.get_by_label("提醒频率").select_option(label="即时")
    screenshot(tenant, f"saved-search-subscribe-{size}")
    form.get_by_role("button", name="订阅").click()

    expect(tenant.locator(".alert-success")).to_contain_text("已订阅“次坞 2 元以内”")
    card = tenant.locator(".saved-search", has_text="次坞 2 元以内")
    expect(card).to_contain_text("次坞镇 · ≤2 元/㎡/天")
    expect(card).to_contain_text("即时提醒")
    screenshot(tenant, f"saved-search-list-{size}")
    saved = db.session.scalar(select(SavedSearch))
    assert saved.params == {"town": "次坞镇", "rent_max": 2.0}, "no sort, no page"
    assert mailbox.messages == []

    # The agent publishes the draft from the agents' area.
    viewport = {"width": 1280, "height": 900} if size == "desktop" else PHONE
    office_context, office = _page(browser, viewport)
    sign_in(office, live_server, "zhang@agents.example", PASSWORD)
    office.goto(f"{live_server}/agent/buildings/{building.id}")
    office.get_by_role("button", name="发布", exact=True).click()
    expect(office.locator(".alert-success")).to_contain_text("楼盘已发布")

    (message,) = mailbox.wait_for(1)
    assert message["To"] == "chen@tenant.example"
    assert message["Subject"] == "订阅“次坞 2 元以内”：1 套新房源"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    assert "次坞临杭创业大厦" in text and "1.3 元/㎡/天" in text
    link = re.search(rf"{re.escape(live_server)}/listings/\d+", text)[0]
    assert link == f"{live_server}/listings/{building.id}"
    html = message.get_body(("html",)).get_content()
    assert f'href="{link}"' in html

    tenant.goto(link)
    expect(tenant.locator("h1")).to_contain_text("次坞临杭创业大厦")
    screenshot(tenant, f"saved-search-opened-{size}")

    # The email as a mail client shows it, for a person to look at.
    letter_context, letter = _page(browser, viewport)
    letter.set_content(html)
    screenshot(letter, f"saved-search-email-{size}")
    letter_context.close()

    # Its 退订 link asks first (a link scanner's GET changes nothing), then pauses the search.
    unsubscribe = re.search(rf"{re.escape(live_server)}/searches/unsubscribe/\S+", text)[0]
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    tenant.goto(unsubscribe)
    expect(tenant.get_by_role("button", name="确认退订")).to_be_visible()
    db.session.refresh(saved)
    assert not saved.paused
    screenshot(tenant, f"saved-search-unsubscribe-{size}")
    tenant.get_by_role("button", name="确认退订").click()
    expect(tenant.locator("#unsubscribed")).to_contain_text("已退订")
    db.session.refresh(saved)
    assert saved.paused

    width = tenant.evaluate("document.documentElement.scrollWidth")
    assert width <= tenant.viewport_size["width"], "no sideways scrolling"
    assert tenant.js_errors == [] and office.js_errors == []
    office_context.close()
