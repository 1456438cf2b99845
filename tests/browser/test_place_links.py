"""A reader in Chromium opens an article about a 嵊州 town and follows its place link to the
town's place page and the buildings there, on a desktop and on a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, screenshot
from tests.news.test_place_links import town_with_buildings

pytestmark = pytest.mark.browser

TITLE = "嵊州三江街道领带企业把设计和电商团队搬进写字楼"


@pytest.fixture
def sanjiang(demo):
    return town_with_buildings("三江街道")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def follow_the_town(page, live_server: str) -> None:
    page.goto(live_server + "/news/category/特色小镇产业园")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url("**/news/*")
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    link = page.locator(".article-body a.place-link", has_text="三江街道")
    assert link.count() == 1 and link.is_visible()
    link.click()
    page.wait_for_url("**/places/*")  # the town's place page: its figures and its buildings
    assert "三江街道" in page.get_by_role("heading", level=1).inner_text()
    cards = page.locator(".building-card")
    assert cards.count() >= 1
    assert cards.filter(has_text="三江领带商贸楼").count() == 1
    assert cards.first.is_visible()


def test_reader_follows_a_shengzhou_town_to_its_buildings(live_server, page, sanjiang):
    follow_the_town(page, live_server)
    screenshot(page, "place-link-town")
    page.go_back()
    page.wait_for_url("**/news/*")
    assert page.locator(".recommended .building-card").filter(has_text="三江街道").count() >= 1
    assert page.js_errors == []


def test_the_same_on_a_phone(live_server, phone, sanjiang):
    follow_the_town(phone, live_server)
    assert phone.viewport_size == PHONE
    assert fits(phone)
    screenshot(phone, "place-link-town-phone")
    assert phone.js_errors == []
