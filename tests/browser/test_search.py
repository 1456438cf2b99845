"""A tenant's journey in Chromium: search, narrow, compare list and map, open, inquire."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Inquiry
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def _listed(page) -> set[str]:
    return {a.get_attribute("href") for a in page.locator("#results .building-card h3 a").all()}


def _on_map(page) -> set[str]:
    """Links in the popups of every marker on the map, clustered or not."""
    page.wait_for_selector(".folium-map[data-loaded]", state="attached")
    hrefs = page.evaluate(
        """() => {
            const found = new Set();
            for (const key of Object.keys(window)) {
                const value = window[key];
                if (value instanceof L.Map) {
                    value.eachLayer(layer => {
                        const popup = layer.getPopup && layer.getPopup();
                        if (popup) {
                            const content = popup.getContent();
                            const html = typeof content === 'string' ? content : content.outerHTML;
                            const m = html.match(/href="([^"]+)"/);
                            if (m) found.add(m[1]);
                        }
                        if (layer.getLayers) {
                            layer.getLayers().forEach(inner => {
                                const p = inner.getPopup && inner.getPopup();
                                if (p) {
                                    const c = p.getContent();
                                    const h = typeof c === 'string' ? c : c.outerHTML;
                                    const mm = h.match(/href="([^"]+)"/);
                                    if (mm) found.add(mm[1]);
                                }
                            });
                        }
                    });
                }
            }
            return Array.from(found);
        }"""
    )
    return {h for h in hrefs if re.match(r"^/listings/\d+$", h)}


def _journey(live_server, page, name: str, phone: bool) -> None:
    page.goto(live_server + "/")
    page.get_by_placeholder(re.compile("次坞")).first.fill("次坞")
    page.get_by_role("button", name="搜索写字楼").click()
    page.wait_for_url("**/listings/?q=*")
    count = int(page.locator("#result-count strong").inner_text())
    assert count >= 3
    assert _listed(page) == _on_map(page)
    screenshot(page, f"{name}-search")

    if phone:
        page.get_by_role("button", name="筛选").click()
    page.locator("#rent_max").fill("1.3")
    page.locator("#area_min").fill("100")
    page.get_by_role("button", name="应用筛选").click()
    page.wait_for_url("**rent_max=1.3**")
    narrowed = int(page.locator("#result-count strong").inner_text())
    assert 0 < narrowed <= count
    listed = _listed(page)
    assert listed == _on_map(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "no sideways scrolling"
    screenshot(page, f"{name}-narrowed")

    first = page.locator("#results .building-card h3 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r".*/listings/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.locator(".folium-map").is_visible()
    page.get_by_label("您的称呼").fill("王女士")
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("希望看房时间").fill("周五下午")
    page.get_by_label("留言内容").fill("想看 150 平左右的精装房源")
    page.get_by_role("button", name="提交留言").click()
    page.get_by_text("留言已提交").wait_for()
    screenshot(page, f"{name}-inquiry")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert page.js_errors == []
    stored = db.session.scalars(select(Inquiry).where(Inquiry.mobile == "13912345678")).all()
    assert len(stored) == 1 and stored[0].building.name == title


def test_tenant_journey_on_a_desktop(live_server, page, demo):
    _journey(live_server, page, "desktop", phone=False)


def test_tenant_journey_on_a_phone(live_server, phone, demo):
    _journey(live_server, phone, "phone", phone=True)
