"""Suggestions as you type, in Chromium at desktop and phone size: pinyin initials in the home
page's box offer 诸暨市, the arrows and Enter open it; characters on the search page offer a
town with its district, and Escape closes the list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_typing_pinyin_initials_then_enter_opens_the_district(
    request, live_server, gazetteer, size
):
    page = request.getfixturevalue("page" if size == "desktop" else "phone")
    page.goto(f"{live_server}/")
    box = page.get_by_role("combobox", name="关键词")
    box.press_sequentially("zj", delay=50)
    options = page.get_by_role("option")
    expect(options.first).to_contain_text("诸暨市")
    expect(options.first).to_contain_text("区县")
    expect(box).to_have_attribute("aria-expanded", "true")
    screenshot(page, f"suggest-home-{size}")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(r"-0$"))
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/listings/\?district="))
    expect(page.locator("#district")).to_have_value("诸暨市")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_characters_on_the_search_page_offer_a_town_and_escape_closes(
    request, live_server, gazetteer, size
):
    page = request.getfixturevalue("page" if size == "desktop" else "phone")
    page.goto(f"{live_server}/listings/")
    box = page.get_by_role("combobox", name="关键词")
    box.press_sequentially("次坞", delay=50)
    town = page.get_by_role("option").filter(has_text="次坞镇").first
    expect(town).to_contain_text("镇街 · 诸暨市")
    screenshot(page, f"suggest-search-{size}")
    box.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Enter")  # nothing chosen: the form's own keyword search
    expect(page).to_have_url(re.compile(r"/listings/\?.*q=%E6%AC%A1%E5%9D%9E"))
