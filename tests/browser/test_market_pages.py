"""A tenant in Chromium compares the market: /market/ sorted by rent, a district's page, one of
its towns with the trend chart, and a park's figures; on a desktop and on a phone, where the
charts stay inside the screen and nothing breaks the CSP."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, _page, screenshot

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def desktop(browser):
    context, page = _page(browser, DESKTOP)
    yield page
    context.close()


def watch_csp(page) -> list[str]:
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return refused


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def charts_drawn(page) -> list[dict]:
    """Each chart image as laid out, whether it loaded, and its SVG's axis titles and words
    (fetched again from its address, which the browser holds)."""
    return page.eval_on_selector_all(
        ".market-chart-svg img",
        """async imgs => Promise.all(imgs.map(async img => {
            const box = img.getBoundingClientRect();
            const text = await (await fetch(img.src)).text();
            const svg = new DOMParser().parseFromString(text, "image/svg+xml");
            return {
                width: box.width,
                height: box.height,
                loaded: img.complete && img.naturalWidth > 0,
                titles: [...svg.querySelectorAll("text.title")].map(t => t.textContent),
                text: svg.documentElement.textContent,
            };
        }))""",
    )


def compare_the_market(page, live_server: str, size: str) -> None:
    refused = watch_csp(page)
    page.goto(live_server + "/market/")
    assert page.get_by_role("heading", level=1).inner_text() == "绍兴写字楼市场行情"
    screenshot(page, f"market-{size}")
    page.locator("#market-table thead a", has_text="租金中位数").click()
    page.wait_for_url("**/market/?sort=rent_median&order=asc*")
    page.locator("#market-table thead a", has_text="租金中位数").click()
    page.wait_for_url("**/market/?sort=rent_median&order=desc*")
    assert page.locator("#market-table th[aria-sort=descending]").count() == 1

    page.locator("#market-table .district-row a", has_text="诸暨市").click()
    page.wait_for_url("**/places/zhuji")
    assert "诸暨市写字楼市场行情" in page.get_by_role("heading", level=1).inner_text()
    screenshot(page, f"place-district-{size}")
    page.locator(".subplaces a", has_text="次坞镇").click()
    page.wait_for_url("**/places/ciwu")
    assert page.get_by_role("figure").filter(has_text="次坞镇租金走势").count() == 1
    drawn = charts_drawn(page)
    assert len(drawn) == 2
    for chart in drawn:
        assert chart["loaded"]
        assert 300 <= chart["width"] <= min(page.viewport_size["width"], 520) + 1
    # The demo's history draws 次坞镇's trend; no grade there has units enough for a bar.
    assert drawn[0]["titles"] == ["月份", "租金（元/㎡/天）"]
    assert drawn[1]["titles"] == [] and "房源不足 5 套" in drawn[1]["text"]
    table = page.get_by_role("table", name="次坞镇租金走势（近 24 个月）：数据表")
    assert table.locator("tbody tr").count() == 24
    assert page.locator(".map-frame").get_attribute("data-map-points") != "0"
    screenshot(page, f"place-town-{size}")

    page.locator(".place-parks a").first.click()
    page.wait_for_url("**/parks/*")
    assert page.get_by_role("heading", name="园区行情").is_visible()
    assert len(charts_drawn(page)) == 2
    screenshot(page, f"park-market-{size}")
    assert page.js_errors == [] and refused == []


def test_a_tenant_compares_the_market_on_a_desktop(live_server, desktop, demo):
    compare_the_market(desktop, live_server, "desktop")


def test_a_tenant_compares_the_market_on_a_phone(live_server, phone, demo):
    assert phone.viewport_size == PHONE
    compare_the_market(phone, live_server, "phone")
    phone.goto(live_server + "/places/ciwu")
    assert fits(phone), "the place page scrolls sideways on a phone"
    phone.goto(live_server + "/market/")
    assert fits(phone), "only the table scrolls sideways, inside its frame"
