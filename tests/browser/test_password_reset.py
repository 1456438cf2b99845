"""Journey (c) of issue 18 in Chromium, at desktop and phone size: a password reset from the
emailed link signs out the account's other session."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.accounts.conftest import LINK
from tests.browser.conftest import _page, screenshot
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "spring-2024-office"


def sign_in(page, base: str, email: str, password: str, remember: bool = False) -> None:
    page.goto(f"{base}/accounts/login")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(password)
    if remember:
        page.get_by_label("记住我").check()
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".alert-success")).to_contain_text("登录成功")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_reset_from_the_emailed_link_signs_out_another_session(
    request, app, live_server, browser, mailbox, size
):
    app.config["SITE_URL"] = live_server  # emailed links lead to the site under test
    UserFactory(email="wang@example.com", name="王女士")
    db.session.commit()
    # The other session: a laptop left signed in, with 记住我.
    laptop, other = _page(browser, {"width": 1280, "height": 900})
    sign_in(other, live_server, "wang@example.com", PASSWORD, remember=True)
    assert [c for c in laptop.cookies() if c["name"] == "remember_token"]
    other.goto(f"{live_server}/accounts/profile")
    expect(other.locator("h1")).to_have_text("我的资料")

    device = request.getfixturevalue("page" if size == "desktop" else "phone")
    device.goto(f"{live_server}/accounts/login")
    device.get_by_role("link", name="忘记密码？").click()
    expect(device.locator("h1")).to_have_text("找回密码")
    device.get_by_label("注册邮箱").fill("wang@example.com")
    device.get_by_role("button", name="发送重置链接").click()
    expect(device.locator(".alert-info")).to_contain_text("如果该邮箱已注册，我们已发送重置链接")

    (message,) = mailbox.wait_for(1)
    link = LINK.search(message.get_body(("plain",)).get_content()).group()
    assert link.startswith(f"{live_server}/accounts/reset/")
    device.goto(link)
    expect(device.locator("h1")).to_have_text("设置新密码")
    device.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    device.get_by_label("确认新密码").fill(NEW_PASSWORD)
    device.get_by_role("button", name="设置新密码").click()
    expect(device.locator(".alert-success")).to_contain_text("密码已重置")
    expect(device.locator("h1")).to_have_text("我的资料")
    screenshot(device, f"password-reset-{size}")

    # The laptop's next page asks it to sign in again.
    other.goto(f"{live_server}/accounts/profile")
    expect(other).to_have_url(re.compile(r"/accounts/login\?next="))
    expect(other.locator(".alert-warning")).to_contain_text("请先登录")

    # The link is spent: opened again, it says so.
    device.goto(link)
    expect(device.locator(".alert-warning")).to_contain_text("该重置链接已使用或已失效")
    assert device.js_errors == [] and other.js_errors == []
    laptop.close()
