"""A visitor reads the imported seed article in Chromium, follows its park and its 推荐楼盘."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, screenshot
from tests.conftest import need
from tests.helpers import SEED, imported

pytestmark = pytest.mark.browser


@pytest.fixture
def seed_article(demo, runner):
    """The seed page imported with `flask news import` over the demo data."""
    need(SEED.exists(), f"the seed page is missing: {SEED}")
    result = runner.invoke(args=["news", "import", str(SEED)])
    assert result.exit_code == 0, result.output
    return imported()[0]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_reader_follows_the_park_and_a_recommended_building(live_server, page, seed_article):
    page.goto(live_server + "/news/category/特色小镇产业园")
    page.get_by_role("link", name=seed_article.title).click()
    page.wait_for_url(f"**/news/{seed_article.id}")
    assert page.get_by_role("heading", level=1).inner_text() == seed_article.title
    assert page.get_by_text("导读：").is_visible()
    assert page.locator(".article-body h3").count() == 4
    assert page.locator(".map-frame .folium-map").count() == 1
    assert page.locator(".leaflet-marker-icon").count() >= 1  # Leaflet drew the map
    screenshot(page, "news-article")

    page.locator(".article-body a.place-link", has_text="次坞镇临杭产业园").first.click()
    page.wait_for_url("**/parks/ciwu-linhang-park")
    assert "次坞镇临杭产业园" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_role("heading", name="园区内及周边楼盘").is_visible()
    assert page.get_by_text(seed_article.title).is_visible()  # the news that mentions it
    screenshot(page, "news-park")

    page.go_back()
    page.wait_for_url(f"**/news/{seed_article.id}")
    cards = page.locator(".recommended .building-card").filter(has_text="诸暨市")
    assert cards.count() >= 1
    link = cards.first.locator("h3 a")
    name = link.inner_text()
    link.click()
    page.wait_for_url("**/listings/*")
    assert page.get_by_role("heading", level=1).inner_text() == name
    screenshot(page, "news-building")
    assert page.js_errors == []


def test_parks_map_and_list(live_server, page, demo):
    page.goto(live_server + "/parks/")
    assert page.locator(".map-frame .leaflet-interactive").count() >= 10  # parks and boundaries
    screenshot(page, "parks-index")
    page.locator(".park-list").get_by_role("link", name="诸暨岛").click()
    page.wait_for_url("**/parks/zhuji-island")
    assert page.get_by_text("距园区中心").first.is_visible()
    assert page.js_errors == []


def test_article_and_park_fit_a_phone(live_server, phone, seed_article):
    phone.goto(f"{live_server}/news/{seed_article.id}")
    assert phone.get_by_role("heading", level=1).is_visible()
    assert phone.viewport_size == PHONE
    assert fits(phone)
    screenshot(phone, "news-article-phone")
    for path, name in (
        ("/news/", "news-index-phone"),
        ("/parks/", "parks-index-phone"),
        ("/parks/ciwu-linhang-park", "news-park-phone"),
    ):
        phone.goto(live_server + path)
        assert fits(phone), path
        screenshot(phone, name)
    assert phone.js_errors == []
