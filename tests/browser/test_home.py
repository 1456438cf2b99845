"""The home page as a person sees it in Chromium."""

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_home_page_shows_recommended_buildings(live_server, page, demo):
    page.goto(live_server + "/")
    heading = page.get_by_role("heading", name="推荐楼盘")
    assert heading.is_visible()
    cards = page.locator(".building-card")
    assert cards.count() >= 4
    first = cards.first.locator("a").first
    name = first.inner_text()
    screenshot(page, "home")
    first.click()
    page.wait_for_url("**/listings/*")
    assert page.get_by_role("heading", level=1).inner_text() == name
    assert page.js_errors == []


def test_home_page_fits_a_phone(live_server, phone, demo):
    phone.goto(live_server + "/")
    assert phone.get_by_role("heading", name="推荐楼盘").is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(phone, "home-phone")
