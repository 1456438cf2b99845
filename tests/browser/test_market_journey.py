"""The market in a reader's and a tenant's browser, on a desktop and on a phone: an article about
次坞镇临杭产业园 shows 文中地点行情, 次坞镇 leads to its place page with the rent trend chart, and a
building page sets its rent against its town's and park's (高于/低于均价)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.market import figures
from app.market.compare import compare
from app.models import Article, Building, Place
from tests.browser.conftest import PHONE, _page, screenshot

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
TITLE = "次坞镇临杭产业园第二批厂房交付，配套研发楼同步招租"
COMPARED = re.compile(r"(高于|低于)(镇街|园区)均价 \d+%")


@pytest.fixture
def desktop(browser):
    context, page = _page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def journey(demo) -> dict:
    """The demo's article about the park, 次坞镇's figures, and a building of 次坞镇 whose rent is
    above or below its town's median (not level with it)."""
    article = db.session.scalar(select(Article).where(Article.title == TITLE))
    ciwu = db.session.scalar(select(Place).where(Place.name == "次坞镇"))
    assert article is not None and figures.for_place(ciwu.id).enough
    buildings = db.session.scalars(
        select(Building)
        .where(Building.town_id == ciwu.id, Building.status == "published")
        .order_by(Building.id)
    ).all()
    building = next(
        b
        for b in buildings
        if (c := compare(b)) and any(COMPARED.fullmatch(x.text) for x in c.against)
    )
    db.session.rollback()
    return {"article": article.id, "ciwu": ciwu.slug, "building": building.id}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def read_and_follow(page, live_server: str, journey: dict, name: str) -> None:
    page.goto(live_server + "/news/category/特色小镇产业园")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/news/{journey['article']}")
    market = page.locator("section.place-market")
    assert market.get_by_role("heading", name="文中地点行情").is_visible()
    row = market.locator("tr", has=page.get_by_role("link", name="次坞镇", exact=True))
    assert row.count() == 1
    assert re.fullmatch(r"\d+\.\d\d", row.locator("td").first.inner_text().strip())
    assert re.search(r"↑\d+\.\d%|↓\d+\.\d%|持平|暂无", row.locator("td").nth(1).inner_text())
    market.scroll_into_view_if_needed()
    screenshot(page, f"{name}-article")

    row.get_by_role("link", name="次坞镇", exact=True).click()
    page.wait_for_url(f"**/places/{journey['ciwu']}")
    assert "次坞镇" in page.get_by_role("heading", level=1).inner_text()
    chart = page.get_by_role("img", name=re.compile(r"^次坞镇租金走势"))
    assert chart.count() == 1 and chart.is_visible()
    assert chart.evaluate("e => e.tagName.toLowerCase()") == "img"
    expect(chart).to_have_js_property("complete", True)
    assert chart.evaluate("e => e.naturalWidth") > 0  # the SVG loaded and was drawn
    box = chart.bounding_box()
    assert box["width"] > 200 and box["x"] + box["width"] <= page.viewport_size["width"] + 1
    screenshot(page, f"{name}-place")


def see_the_building(page, live_server: str, journey: dict, name: str) -> None:
    page.goto(f"{live_server}/listings/{journey['building']}")
    said = page.locator(".rent-vs-market")
    assert said.is_visible()
    assert "挂牌租金中位数" in said.inner_text()
    compared = [t.strip() for t in said.locator(".rent-compare").all_inner_texts()]
    assert any(COMPARED.match(t) for t in compared), compared
    town_link = said.get_by_role("link", name="次坞镇", exact=True)
    assert town_link.get_attribute("href") == f"/places/{journey['ciwu']}"
    said.scroll_into_view_if_needed()
    screenshot(page, f"{name}-building")


def test_a_reader_and_a_tenant_on_a_desktop(live_server, desktop, journey):
    read_and_follow(desktop, live_server, journey, "market-journey")
    see_the_building(desktop, live_server, journey, "market-journey")
    assert desktop.js_errors == []


def test_the_same_on_a_phone(live_server, phone, journey):
    assert phone.viewport_size == PHONE
    read_and_follow(phone, live_server, journey, "market-journey-phone")
    assert fits(phone)
    see_the_building(phone, live_server, journey, "market-journey-phone")
    assert fits(phone)
    assert phone.js_errors == []
