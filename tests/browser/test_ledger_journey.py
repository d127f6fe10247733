"""Keeping the ledger, end to end in a browser: on a phone a member reports their whereabouts
and asks for a red package to the new address; the branch secretary, at a desk, verifies the
report and dispatches the package in the admin; the member sees it on its way, is told in
the inbox, and confirms receipt."""

import pytest
from django.urls import reverse

from portal.models import Member, RedPackageRequest, Role, WhereaboutsReport
from portal.registry.factories import MemberFactory, UserFactory
from portal.registry.services import role_grant
from tests.portal.parcels.helpers import package_in

from .conftest import screenshot
from .test_member_journey import assert_phone_friendly

pytestmark = pytest.mark.browser
PHONE_NUMBER = "13900000003"
PASSWORD = "Guiyan@2026"
ADDRESS = "广东省东莞市长安镇振安中路168号华骏宿舍3栋502"
TRACKING = "SF1402876935021"


@pytest.fixture
def ledger(home_page, tree):
    package = package_in(tree.county, stock=3)
    user = UserFactory(username=PHONE_NUMBER, password=PASSWORD)
    member = MemberFactory(
        name="龙小燕", phone=PHONE_NUMBER, origin=tree.village_a1, user=user, host_city="深圳"
    )
    secretary = UserFactory(username="secretary_a", password=PASSWORD)
    role_grant(user=secretary, role=Role.ORG_ADMIN, organization=tree.township_a, actor=None)
    return package, member


def log_in(page, live_server, next_path: str) -> None:
    page.goto(live_server.url + next_path)
    page.fill("input[name=username]", PHONE_NUMBER)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_server.url + next_path)


def log_in_admin(page, live_server) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "secretary_a")
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def report_whereabouts(page, live_server) -> None:
    log_in(page, live_server, reverse("whereabouts"))
    page.fill("#id_city", "东莞")
    page.fill("#id_employer", "华骏制衣厂")
    page.fill("#id_address", ADDRESS)
    page.fill("#id_phone", PHONE_NUMBER)
    assert_phone_friendly(page)
    page.locator("main form button[type=submit]").click()
    page.locator('#history [data-status="submitted"]').wait_for()


def request_package(page, live_server, package) -> None:
    page.goto(live_server.url + package.url)
    form = page.locator("#request form")
    assert page.input_value("#id_recipient") == "龙小燕"
    assert page.input_value("#id_phone") == PHONE_NUMBER
    page.fill("#id_address", ADDRESS)  # not on the ledger until the branch verifies it
    assert_phone_friendly(page)
    form.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("my_packages"))
    page.locator('.parcel[data-state="waiting"]').wait_for()
    assert_phone_friendly(page)


def verify_and_dispatch(page, live_server, member) -> None:
    log_in_admin(page, live_server)
    report = WhereaboutsReport.objects.get(member=member)
    page.goto(live_server.url + reverse("portal_whereabouts:verify", args=[report.pk]))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("portal_whereabouts:index"))
    assert Member.objects.get(pk=member.pk).address == ADDRESS

    page.goto(live_server.url + reverse("portal_parcel_request:index"))
    assert "龙小燕" in page.locator("main").inner_text()
    assert PHONE_NUMBER not in page.locator("main table").inner_text()  # masked in the list
    item = RedPackageRequest.objects.get(member=member)
    page.goto(live_server.url + reverse("portal_parcel_request:dispatch", args=[item.pk]))
    assert ADDRESS in page.locator("main").inner_text()
    page.fill("#id_courier", "顺丰速运")
    page.fill("#id_tracking_number", TRACKING)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("portal_parcel_request:index"))


def test_member_reports_asks_secretary_verifies_and_sends_member_confirms(
    live_server, ledger, phone_page, desktop_page, request
):
    package, member = ledger
    phone = phone_page
    report_whereabouts(phone, live_server)
    screenshot(phone, request, "1-whereabouts")
    request_package(phone, live_server, package)
    screenshot(phone, request, "2-requested")

    verify_and_dispatch(desktop_page, live_server, member)
    screenshot(desktop_page, request, "3-dispatched")

    phone.goto(live_server.url + reverse("my_packages"))
    parcel = phone.locator('.parcel[data-state="dispatched"]')
    assert TRACKING in parcel.locator(".tracking-number").inner_text()
    assert "顺丰速运" in parcel.locator(".courier").inner_text()
    assert phone.locator("nav.tabbar .tab-inbox .badge").inner_text() == "1"
    assert_phone_friendly(phone)
    screenshot(phone, request, "4-on-its-way")
    parcel.locator("button.receive").click()
    phone.locator('.parcel[data-state="received"]').wait_for()
    assert_phone_friendly(phone)
    item = RedPackageRequest.objects.get(member=member)
    assert item.state == RedPackageRequest.State.RECEIVED and item.address == ADDRESS
