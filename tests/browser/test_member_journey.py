"""A member's first visit on a phone: activate the account, log out, log in again."""

import re

import pytest

from portal.registry import services
from portal.registry.factories import MemberFactory

from .conftest import screenshot

pytestmark = pytest.mark.browser

NAME = "李春燕"
PHONE_NUMBER = "13812345678"
MASKED_PHONE = "138****5678"
PASSWORD = "Yanzi-gui-2026"
GREETING = rf"(你好|您好)，{NAME}|{NAME}，(你好|您好)"


def assert_phone_friendly(page) -> None:
    """Chinese page, and nothing wider than the 360 px viewport."""
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, f"{page.url} scrolls sideways: {scroll_width}px wide"


def assert_member_home(page, live_server, home_title) -> None:
    assert page.url == f"{live_server.url}/"
    assert page.locator("h1").first.inner_text() == home_title
    # The wording belongs to the zh_Hans catalog ("李春燕，您好" today); pin only that the
    # greeting is Chinese and names the member.
    greeting = page.locator("#me").inner_text()
    assert re.fullmatch(GREETING, greeting), f"greeting not in Chinese: {greeting!r}"
    facts = page.locator("dl.facts")
    assert "甲一村党支部" in facts.inner_text()
    assert MASKED_PHONE in facts.inner_text()
    assert PHONE_NUMBER not in page.content()
    assert page.locator("nav.tabbar a.tab-me").is_visible()
    assert_phone_friendly(page)


def test_member_activates_logs_out_and_logs_in_on_a_phone(
    live_server, home_page, tree, phone_page, request
):
    member = MemberFactory(name=NAME, phone=PHONE_NUMBER, origin=tree.village_a1)
    code = services.member_account_issue(member=member, issued_by=None)
    page = phone_page

    # The home page, logged out, points first-time members to the activation page.
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").first.inner_text() == home_page.title
    assert page.locator("#me").count() == 0
    assert_phone_friendly(page)
    screenshot(page, request, "1-home")

    page.locator('main a[href="/accounts/activate/"]').click()
    page.wait_for_url(f"{live_server.url}/accounts/activate/")
    assert_phone_friendly(page)
    page.fill("#id_phone", PHONE_NUMBER)
    page.fill("#id_code", code)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password_again", PASSWORD)
    screenshot(page, request, "2-activate")
    page.locator("main form button[type=submit]").click()

    # Activated and logged in: back on the home page, greeted by name.
    page.wait_for_url(f"{live_server.url}/")
    screenshot(page, request, "3-member-home")
    assert_member_home(page, live_server, home_page.title)

    # Logging out is on the 我的 tab.
    page.locator("nav.tabbar a.tab-me").click()
    page.wait_for_url(f"{live_server.url}/me/")
    assert_phone_friendly(page)
    page.locator('form[action="/accounts/logout/"] button').click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("#me").count() == 0
    assert page.locator('form[action="/accounts/logout/"]').count() == 0

    # Log in again with the phone number and the new password.
    page.locator('header a[href="/accounts/login/"]').click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert_phone_friendly(page)
    page.fill("#id_username", PHONE_NUMBER)
    page.fill("#id_password", PASSWORD)
    screenshot(page, request, "4-login")
    page.locator("main form button[type=submit]").click()

    page.wait_for_url(f"{live_server.url}/")
    assert_member_home(page, live_server, home_page.title)
