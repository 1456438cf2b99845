"""Journey (b) of issue 18 in Chromium, at desktop and phone size: a tenant inquires about a
unit (a bad mobile first: the page opens at the form), the agent's email arrives, the agent
answers from the emailed link, and the tenant reads the answer on /accounts/inquiries and in
an email of their own."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.browser.conftest import PHONE, _page, screenshot
from tests.browser.test_password_reset import sign_in
from tests.factories import PASSWORD, AgentFactory, BuildingFactory, UnitFactory, UserFactory

ANSWER = "王女士您好，5 楼周六上午 10 点可以看，到大堂找我即可。"


# In view, and the browser went there: the window scrolled, unless the whole page fits in it.
IN_VIEW = """(selectors) => selectors.every((selector) => {
    const box = document.querySelector(selector).getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
}) && (window.scrollY > 0 || document.documentElement.scrollHeight <= window.innerHeight)"""


def _opens_at(page, *selectors: str) -> None:
    """Wait until the page is laid out and has scrolled these elements into the window (the
    browser goes to the fragment once the stylesheets are in); fail if it never does."""
    page.wait_for_load_state("load")
    page.wait_for_function(IN_VIEW, arg=list(selectors), timeout=5_000)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_an_inquiry_reaches_the_agent_and_the_answer_comes_back(
    request, app, live_server, browser, mailbox, size
):
    app.config["SITE_URL"] = live_server  # emailed links lead to the site under test
    agent = AgentFactory(name="张经纪", email="zhang@agents.example")
    building = BuildingFactory(name="次坞创业大厦", owner=agent, status="published")
    unit = UnitFactory(building=building, floor=5, area_m2=320, rent_per_m2_day=1.2)
    UnitFactory(building=building, floor=8, area_m2=150)
    UserFactory(name="王女士", email="wang@tenant.example")
    db.session.commit()
    label = "出租 · 5F · 320 ㎡ · 1.2 元/㎡/天"

    tenant = request.getfixturevalue("page" if size == "desktop" else "phone")
    sign_in(tenant, live_server, "wang@tenant.example", PASSWORD)
    tenant.goto(f"{live_server}/listings/{building.id}")
    tenant.get_by_label("咨询房源").select_option(label=label)
    tenant.get_by_label("您的称呼").fill("王女士")
    tenant.get_by_label("手机号码").fill("1391234")
    tenant.get_by_label("留言内容").fill("想看 5 楼这套，周末方便吗？")
    tenant.get_by_role("button", name="提交留言").click()

    # Refused: the page opens at the form, the error in view and the cursor in the field.
    expect(tenant.locator("#inquiry-form .invalid-feedback")).to_contain_text(
        "11 位中国大陆手机号码"
    )
    assert tenant.url.endswith("/inquiry#inquiry")
    expect(tenant.locator("#mobile")).to_be_focused()
    _opens_at(tenant, "#inquiry-form .alert-danger", "#mobile", "#mobile + .invalid-feedback")
    assert tenant.get_by_label("咨询房源").input_value() == str(unit.id), "the choice is kept"
    screenshot(tenant, f"inquiry-refused-{size}")

    tenant.get_by_label("手机号码").fill("13912345678")
    tenant.get_by_role("button", name="提交留言").click()
    # Sent: the confirmation where the form was, in view.
    expect(tenant.locator("#inquiry-sent")).to_contain_text("留言已提交")
    assert tenant.url.endswith(f"/listings/{building.id}#inquiry")
    _opens_at(tenant, "#inquiry-sent")
    screenshot(tenant, f"inquiry-sent-{size}")

    # The agent's email: the tenant's details and a link to the inbox.
    (new,) = mailbox.wait_for(1)
    assert new["To"] == "zhang@agents.example"
    text = new.get_body(("plain",)).get_content()
    assert label in text and "13912345678" in text and "想看 5 楼这套" in text
    inbox = re.search(r"https?://\S+/agent/inquiries\S*", text)[0]
    assert inbox.startswith(live_server)

    viewport = {"width": 1280, "height": 900} if size == "desktop" else PHONE
    agent_context, office = _page(browser, viewport)
    sign_in(office, live_server, "zhang@agents.example", PASSWORD)
    office.goto(inbox)
    card = office.locator(".card", has_text="想看 5 楼这套")
    expect(card).to_contain_text("13912345678")
    expect(card).to_contain_text(label)
    expect(card).to_contain_text("新留言")
    card.get_by_label("回复内容").fill(ANSWER)
    card.get_by_role("button", name="发送回复").click()
    expect(office.locator(".alert-success")).to_contain_text("回复已保存，已发邮件通知租户")
    card = office.locator(".card", has_text="想看 5 楼这套")
    expect(card).to_contain_text("已联系")
    card.get_by_role("button", name="标为已带看").click()
    expect(office.locator(".alert-success")).to_contain_text("已标为“已带看”")
    screenshot(office, f"inquiry-agent-{size}")

    # The tenant's email, and the answer on their list.
    answer_mail = mailbox.wait_for(2)[1]
    assert answer_mail["To"] == "wang@tenant.example"
    answer_text = answer_mail.get_body(("plain",)).get_content()
    assert ANSWER in answer_text
    mine = re.search(r"https?://\S+/accounts/inquiries", answer_text)[0]
    tenant.goto(mine)
    expect(tenant.locator("h1")).to_have_text("我的留言")
    card = tenant.locator(".card", has_text="想看 5 楼这套")
    expect(card.locator(".answer")).to_contain_text(ANSWER)
    expect(card).to_contain_text("已带看")
    expect(card).to_contain_text(label)
    screenshot(tenant, f"inquiry-answered-{size}")

    width = tenant.evaluate("document.documentElement.scrollWidth")
    assert width <= tenant.viewport_size["width"], "no sideways scrolling"
    assert tenant.js_errors == [] and office.js_errors == []
    agent_context.close()
