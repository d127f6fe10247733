"""Organisational life from afar, end to end: the host branch's secretary plans a 主题党日 in
the admin and shows the code; a floating member on a 360×740 phone signs in with it; the
secretary closes the meeting; the home branch's secretary sees the member's attendance."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import Meeting, MeetingAttendance, Role
from portal.registry.factories import MemberFactory, UserFactory
from portal.registry.services import pairing_create, role_grant

from .conftest import screenshot
from .test_member_journey import assert_phone_friendly

pytestmark = pytest.mark.browser
PHONE_NUMBER = "13900000005"
PASSWORD = "Guiyan@2026"
TITLE = "十二月主题党日：重温入党誓词"


@pytest.fixture
def floating(home_page, tree):
    pairing_create(
        origin=tree.township_b, host=tree.host_branch, signed_on=datetime.date(2024, 1, 1)
    )
    user = UserFactory(username=PHONE_NUMBER, password=PASSWORD)
    member = MemberFactory(
        name="龙小燕",
        phone=PHONE_NUMBER,
        origin=tree.village_b1,
        host=tree.host_branch,
        host_city="深圳",
        user=user,
    )
    for username, organization in (("host_sec", tree.host_branch), ("home_sec", tree.village_b1)):
        secretary = UserFactory(username=username, password=PASSWORD)
        role_grant(user=secretary, role=Role.ORG_ADMIN, organization=organization, actor=None)
    return member


def log_in_admin(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def plan_theme_day(page, live_server, tree) -> Meeting:
    log_in_admin(page, live_server, "host_sec")
    page.goto(live_server.url + reverse("portal_meeting:add"))
    starts = timezone.localtime() - datetime.timedelta(minutes=5)
    page.select_option("#id_organization", str(tree.host_branch.pk))
    page.select_option("#id_kind", "theme_day")
    page.fill("#id_title", TITLE)
    page.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_online_link", "https://meeting.example.cn/9")
    page.locator("main form button[type=submit]").first.click()
    page.locator("#attendance").wait_for()
    return Meeting.objects.get(title=TITLE)


def show_code(page) -> str:
    page.locator("#show-code").click()
    page.locator("#new-code button[type=submit]").click()
    page.locator("#code").wait_for()
    assert page.locator("#qr svg").count() == 1
    return page.locator("#code").inner_text().strip()


def test_a_theme_day_attended_by_phone_counts_at_home(
    floating, tree, live_server, desktop_page, phone_page, browser, request
):
    meeting = plan_theme_day(desktop_page, live_server, tree)
    code = show_code(desktop_page)
    screenshot(desktop_page, request, "code")

    member_url = reverse("my_meeting", args=[meeting.pk])
    phone_page.goto(live_server.url + member_url)
    phone_page.fill("input[name=username]", PHONE_NUMBER)
    phone_page.fill("input[name=password]", PASSWORD)
    phone_page.locator("main button[type=submit]").click()
    phone_page.wait_for_url(live_server.url + member_url)
    assert_phone_friendly(phone_page)
    phone_page.fill("#id_code", code)
    phone_page.locator("#sign-in button[type=submit]").click()
    phone_page.locator('#meeting[data-status="present"]').wait_for()
    assert_phone_friendly(phone_page)

    desktop_page.goto(live_server.url + reverse("portal_meeting:close", args=[meeting.pk]))
    field = f"#id_member_{floating.pk}"
    assert desktop_page.locator(field).input_value() == "present"
    desktop_page.locator("main form button[type=submit]").last.click()
    desktop_page.locator('#meeting-facts[data-state="closed"]').wait_for()
    assert MeetingAttendance.objects.get(meeting=meeting).status == "present"

    home = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    try:
        home_page = home.new_page()
        log_in_admin(home_page, live_server, "home_sec")
        home_page.goto(live_server.url + reverse("portal_meeting:member", args=[floating.pk]))
        row = home_page.locator(f'#member-attendance tr[data-meeting="{meeting.pk}"]')
        assert row.get_attribute("data-status") == "present"
        assert TITLE in row.inner_text() and tree.host_branch.name in row.inner_text()
        screenshot(home_page, request, "home")
    finally:
        home.close()
