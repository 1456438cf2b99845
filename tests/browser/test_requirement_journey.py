"""Journey (d) of issue 18 in Chromium, at desktop and phone size: a signed-in tenant posts a
求租 (a bad mobile first: the choices are kept), the confirmation email arrives, an agent whose
building meets it finds it from the dashboard with the mobile masked, answers with a chosen
unit, and the tenant receives the units by email and sees them on /accounts/inquiries."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models.base import utcnow
from tests.browser.conftest import PHONE, _page, screenshot
from tests.browser.test_password_reset import sign_in
from tests.factories import PASSWORD, AgentFactory, UserFactory
from tests.requirements.conftest import building_in, unit_in

pytestmark = pytest.mark.browser

MESSAGE = "王女士您好，次坞创业大厦 5 楼 200 ㎡ 朝南，周六可以看房。"
LABEL = "出租 · 5F · 200 ㎡ · 1.5 元/㎡/天"


def _next_month() -> str:
    today = utcnow().date()
    n = today.year * 12 + today.month  # the month after this one, counted from zero
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_requirement_is_answered_and_the_tenant_receives_the_units(
    request, app, live_server, browser, mailbox, gazetteer, size
):
    app.config["SITE_URL"] = live_server  # emailed links lead to the site under test
    agent = AgentFactory(name="张经纪", email="zhang@agents.example", mobile="13900001111")
    building = building_in(gazetteer["ciwu"], owner=agent, name="次坞创业大厦")
    unit_in(building, area=200, rent=1.5, floor=5)
    unit_in(building, area=260, rent=1.6, floor=9)
    unit_in(building, area=40, rent=1.5, floor=2)  # too small: not offered
    UserFactory(name="王女士", email="wang@tenant.example", mobile="13812345678")
    db.session.commit()

    tenant = request.getfixturevalue("page" if size == "desktop" else "phone")
    sign_in(tenant, live_server, "wang@tenant.example", PASSWORD)
    if size == "phone":
        tenant.get_by_role("button", name="菜单").click()
    tenant.get_by_role("link", name="委托找房").click()
    expect(tenant.locator("h1")).to_have_text("委托找房 · 发布求租")
    # Filled in from the account.
    expect(tenant.get_by_label("您的称呼")).to_have_value("王女士")
    expect(tenant.get_by_label("邮箱")).to_have_value("wang@tenant.example")
    tenant.locator("summary", has_text="诸暨市").click()
    tenant.get_by_text("次坞镇", exact=True).click()
    expect(tenant.locator("#chosen-summary")).to_contain_text("已选 1/5：次坞镇")
    tenant.get_by_label("最小面积（㎡）").fill("150")
    tenant.get_by_label("最大面积（㎡）").fill("300")
    tenant.get_by_label("最高预算").fill("1.8")
    tenant.get_by_label("计划入驻月份").fill(_next_month())
    tenant.get_by_label("手机号码").fill("1381234")
    tenant.get_by_role("button", name="发布求租").click()

    # Refused: the message by the field, the chosen town still chosen.
    expect(tenant.locator("#requirement-form .alert-danger")).to_contain_text("求租未发布")
    expect(tenant.locator("#mobile + .invalid-feedback")).to_contain_text("11 位中国大陆手机号码")
    expect(tenant.get_by_label("次坞镇", exact=True)).to_be_checked()
    expect(tenant.get_by_label("最小面积（㎡）")).to_have_value("150")
    screenshot(tenant, f"requirement-refused-{size}")
    tenant.get_by_label("手机号码").fill("13812345678")
    tenant.get_by_role("button", name="发布求租").click()
    expect(tenant.locator("#requirement-sent")).to_contain_text("求租已发布")
    expect(tenant.locator("dl")).to_contain_text("150–300 ㎡")
    screenshot(tenant, f"requirement-sent-{size}")

    (posted,) = mailbox.wait_for(1)
    assert posted["To"] == "wang@tenant.example"
    assert "/close" in posted.get_body(("plain",)).get_content()

    # The agent: the dashboard says a requirement matches; the list masks the mobile.
    viewport = {"width": 1280, "height": 900} if size == "desktop" else PHONE
    agent_context, office = _page(browser, viewport)
    sign_in(office, live_server, "zhang@agents.example", PASSWORD)
    office.goto(f"{live_server}/agent/")
    office.get_by_role("link", name="1 条求租可匹配").click()
    card = office.locator(".offer", has_text="王女士")
    expect(card).to_contain_text("138****5678")
    expect(card).to_contain_text("您的符合房源 2 套")
    assert "13812345678" not in office.content()
    screenshot(office, f"requirement-list-{size}")
    card.get_by_role("link", name="挑选房源回复").click()
    expect(office.locator("#tenant-mobile")).to_have_text("138****5678")
    office.get_by_label(re.compile("9F · 260 ㎡")).uncheck()
    expect(office.get_by_label(re.compile("5F · 200 ㎡"))).to_be_checked()
    office.get_by_label("给租户的留言").fill(MESSAGE)
    office.get_by_role("button", name="发送回复").click()
    expect(office.locator(".alert-success")).to_contain_text("回复已发送")
    expect(office.locator("#tenant-mobile")).to_have_text("13812345678")
    screenshot(office, f"requirement-answered-{size}")

    # The tenant's email: the chosen unit with a link to its building, and the agent.
    answer = mailbox.wait_for(2)[1]
    assert answer["To"] == "wang@tenant.example"
    text = answer.get_body(("plain",)).get_content()
    html = answer.get_body(("html",)).get_content()
    assert MESSAGE in text and LABEL in text and "9F" not in text
    assert "张经纪" in text and "13900001111" in text
    link = re.search(rf"{re.escape(live_server)}/listings/\d+", text)[0]
    assert f'href="{link}"' in html
    tenant.goto(link)
    expect(tenant.locator("h1")).to_contain_text("次坞创业大厦")
    mine = re.search(rf"{re.escape(live_server)}/accounts/inquiries#requirement-\d+", text)[0]
    tenant.goto(mine)
    card = tenant.locator(f"#{urlsplit(mine).fragment}")
    expect(card.locator(".requirement-answer")).to_contain_text(MESSAGE)
    expect(card.locator(".requirement-answer")).to_contain_text(LABEL)
    expect(card).to_contain_text("1 位经纪人回复")
    screenshot(tenant, f"requirement-mine-{size}")

    for page in (tenant, office):
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], "no sideways scrolling"
    assert tenant.js_errors == [] and office.js_errors == []
    agent_context.close()
