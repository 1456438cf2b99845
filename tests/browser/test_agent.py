"""An agent's journey in Chromium: register, post a building from its address, pin, unit, photo,
publish, find it in the public search and on its page's map; another agent cannot edit it."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import expect

from app.places.gazetteer import records
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

NAME = "次坞云栖创智中心"
CIWU = next((r["lat"], r["lon"]) for r in records() if r["name"] == "次坞镇")  # the town's point


def _png() -> bytes:
    out = BytesIO()
    image = Image.new("RGB", (1200, 800), (40, 110, 190))
    image.paste((240, 240, 240), (100, 100, 1100, 700))
    image.save(out, "PNG")
    return out.getvalue()


def _register(page, base: str, mailbox, email: str, name: str, via_home: bool = True) -> None:
    """Register as an agent, then follow the emailed link, which signs the new account in."""
    mailbox.clear()
    if via_home:
        page.goto(base + "/")
        page.get_by_role("link", name="注册").click()
    else:  # the phone's navbar is folded away
        page.goto(base + "/accounts/register")
    page.fill("#email", email)
    page.fill("#password", "ciwu2026pass")
    page.fill("#confirm", "ciwu2026pass")
    page.check("input[name=role][value=agent]")
    page.fill("#name", name)
    page.fill("#company", "次坞置业")
    page.fill("#mobile", "13812345678")
    page.get_by_role("button", name="注册").click()
    page.wait_for_url("**/accounts/register/sent")
    expect(page.locator("main")).to_contain_text(f"我们已向 {email} 发送了一封邮件")
    (message,) = mailbox.wait_for(1)
    text = message.get_body(("plain",)).get_content()
    page.goto(re.search(r"https?://\S+/accounts/verify/\S+", text)[0])
    page.wait_for_url("**/agent/")


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_agent_posts_a_building_and_tenants_find_it(app, live_server, page, browser, demo, mailbox):
    app.config["SITE_URL"] = live_server  # emailed links lead to the site under test
    _register(page, live_server, mailbox, "ciwu.agent@example.com", "陈经理")
    assert page.get_by_role("heading", name="经纪人中心").is_visible()

    # Post a building: the address alone puts the pin in 次坞.
    page.get_by_role("link", name="发布楼盘").first.click()
    page.wait_for_url("**/agent/buildings/new")
    page.fill("#name", NAME)
    page.fill("#address", "浙江省诸暨市次坞镇次坞大道 99 号")
    page.press("#address", "Tab")
    page.wait_for_selector("#pin-map .leaflet-marker-icon")
    expect(page.locator("#pin-status")).to_contain_text("次坞镇")
    lat = float(page.input_value("#lat"))
    lon = float(page.input_value("#lon"))
    assert (lat, lon) == pytest.approx(CIWU, abs=0.01)
    assert page.input_value("#pin") == ""
    page.select_option("#grade", "乙级")
    page.fill("#floors", "18")
    page.fill("#year_built", "2020")
    page.fill("#property_fee", "4.8")
    page.fill("#efficiency_pct", "76")
    page.fill("#description", "紧邻临杭产业园，适合研发与销售团队。")
    screenshot(page, "agent-building-form")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r".*/agent/buildings/\d+$"))
    building_url = page.url
    building_id = int(building_url.rsplit("/", 1)[1])
    assert "次坞镇" in page.inner_text("#building-places")
    assert page.locator(".map-frame .leaflet-marker-icon").count() == 1

    # A unit.
    page.get_by_role("link", name="添加房源").click()
    page.select_option("#deal", "rent")
    page.fill("#floor", "6")
    page.fill("#area_m2", "260")
    page.fill("#rent_per_m2_day", "1.3")
    page.select_option("#decoration", "精装")
    page.fill("#available_from", "2026-12-01")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(building_url)
    assert "1.3 元/㎡/天" in page.inner_text("#units")

    # A photo.
    page.set_input_files("#photo", {"name": "lobby.png", "mimeType": "image/png", "buffer": _png()})
    page.get_by_role("button", name="上传").click()
    page.wait_for_url(building_url)
    thumb = page.locator("#photos img").first
    thumb.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth === 400", thumb.element_handle())

    # Publish.
    page.get_by_role("button", name="发布").click()
    page.wait_for_url(building_url)
    assert "已发布" in page.inner_text("h1")
    screenshot(page, "agent-building")
    page.goto(live_server + "/agent/")
    assert NAME in page.inner_text("main") and "已确认" in page.inner_text("main")
    screenshot(page, "agent-dashboard")
    assert page.js_errors == []

    # The public search finds it, and its page shows it on the map with the photo.
    page.goto(f"{live_server}/listings/?q={NAME}")
    link = page.locator(f"a[href='/listings/{building_id}']").first
    assert link.is_visible()
    screenshot(page, "agent-search")
    page.goto(f"{live_server}/listings/{building_id}")
    assert page.get_by_role("heading", level=1).inner_text() == NAME
    assert page.locator(".leaflet-container").count() >= 1
    assert page.locator(".leaflet-marker-icon").count() >= 1
    photo = page.locator(f"img[alt^='{NAME}']").first
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", photo.element_handle())
    screenshot(page, "agent-public-building")
    assert page.js_errors == []

    # Another agent cannot touch it.
    other = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        intruder = other.new_page()
        _register(intruder, live_server, mailbox, "other.agent@example.com", "别家经纪人")
        for path in (f"/agent/buildings/{building_id}/edit", f"/agent/buildings/{building_id}"):
            response = intruder.goto(live_server + path)
            assert response.status == 404
        assert "页面不存在" in intruder.content()
        assert NAME not in intruder.content()
    finally:
        other.close()


def test_agent_pages_fit_a_phone(app, live_server, phone, demo, mailbox):
    app.config["SITE_URL"] = live_server
    _register(phone, live_server, mailbox, "phone.agent@example.com", "手机经纪人", via_home=False)
    _no_sideways_scroll(phone)
    screenshot(phone, "agent-dashboard-phone")
    phone.goto(live_server + "/agent/buildings/new")
    phone.fill("#name", "店口掌上大厦")
    phone.fill("#address", "诸暨市店口镇解放路 10 号")
    phone.press("#address", "Tab")
    expect(phone.locator("#pin-status")).to_contain_text("店口镇")
    # Set the pin by hand: it wins over the geocoder.
    phone.locator("#pin-map").scroll_into_view_if_needed()
    box = phone.locator("#pin-map").bounding_box()
    phone.mouse.click(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.3)
    expect(phone.locator("#pin")).to_have_value("1")
    expect(phone.locator("#pin-status")).to_contain_text("已手动设定位置")
    _no_sideways_scroll(phone)
    screenshot(phone, "agent-building-form-phone")
    phone.select_option("#grade", "甲级")
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_url(re.compile(r".*/agent/buildings/\d+$"))
    assert "手动图钉" in phone.inner_text("#building-places")
    _no_sideways_scroll(phone)
    screenshot(phone, "agent-building-phone")
    phone.goto(live_server + "/accounts/register")
    _no_sideways_scroll(phone)
    assert phone.js_errors == []
