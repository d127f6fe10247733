"""The county org admin's talent pool, end to end in a browser: from the profile list's header
button, upload the talent ledger and watch its job finish with the counts; then, on a member's
profile, record their consent (the profile joins the pool) and put a non-member on the
negative list and lift the entry again."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import Role
from portal.registry.factories import MemberFactory, UserFactory
from portal.registry.services import role_grant
from talent.models import NegativeListEntry, TalentProfile

from .conftest import screenshot

pytestmark = pytest.mark.browser
PASSWORD = "Guiyan@2026"
MEMBER_ID = "110105198001010024"
LEDGER = (
    "姓名,身份证号,户籍乡镇,户籍村,学历,返乡意愿\n"
    "王建国,11010519491231002X,甲镇党委,甲一村党支部,高中/中专,愿意\n"
    f"李秀英,{MEMBER_ID},乙乡党委,B1,本科,考虑\n"
)


@pytest.fixture
def county_admin(home_page, tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    MemberFactory(name="李秀英", id_number=MEMBER_ID, origin=tree.village_b1)
    admin = UserFactory(username="county_admin", password=PASSWORD)
    role_grant(user=admin, role=Role.ORG_ADMIN, organization=tree.county, actor=None)
    return admin


def test_county_admin_imports_the_ledger_records_consent_and_keeps_the_negative_list(
    live_server, county_admin, desktop_page, request, tmp_path
):
    page = desktop_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "county_admin")
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")

    # The list's header button leads to the upload; the job's page shows it done.
    page.goto(live_server.url + reverse("talent_profile:index"))
    page.locator(f'a[href="{reverse("talent_profile:import")}"]').first.click()
    ledger = tmp_path / "人才库.csv"
    ledger.write_bytes(LEDGER.encode("utf-8"))
    page.set_input_files("input[name=file]", str(ledger))
    # In-process Celery imports during the request: give a loaded machine time.
    page.locator("[data-talent-import] button[type=submit]").click(timeout=60_000)
    page.wait_for_url(lambda url: "/admin/jobs/" in url, timeout=60_000)
    summary = page.locator("[data-job-summary]").inner_text()
    assert "读取行数\t2" in summary
    screenshot(page, request, "1-imported")
    member_profile = TalentProfile.objects.get(member__id_number=MEMBER_ID)
    other = TalentProfile.objects.get(name="王建国")
    assert not member_profile.in_pool  # a member's profile waits for consent

    # Consent, from the member's profile page.
    page.goto(live_server.url + reverse("talent_profile:inspect", args=[member_profile.pk]))
    page.locator(f'a[href="{reverse("talent_profile:consent", args=[member_profile.pk])}"]').click()
    assert page.input_value("input[name=record-given_on]") == timezone.localdate().isoformat()
    page.select_option("select[name=record-method]", "signed_form")
    page.fill("textarea[name=record-note]", "书面同意书存档于县委组织部")
    page.locator("[data-consent-record] button[type=submit]").click()
    page.locator("[data-consent-withdraw]").wait_for()
    assert "书面同意书存档于县委组织部" in page.locator("[data-consent-history]").inner_text()
    member_profile.refresh_from_db()
    assert member_profile.in_pool
    screenshot(page, request, "2-consent")

    # The negative list: a reason refused when empty, then added, then lifted.
    page.goto(live_server.url + reverse("talent_profile:negative_list", args=[other.pk]))
    page.locator("[data-negative-add] button[type=submit]").click()
    error = page.locator("[data-negative-add] .error-message")
    error.wait_for()
    assert error.count() == 1  # the reason's alone: the form came with today's date filled in
    assert not NegativeListEntry.objects.exists()
    page.fill("textarea[name=add-reason]", "受到党内警告处分")
    page.locator("[data-negative-add] button[type=submit]").click()
    page.locator("[data-negative-current] tr[data-entry]").wait_for()
    assert "受到党内警告处分" in page.locator("[data-negative-current]").inner_text()
    other.refresh_from_db()
    assert other.on_negative_list
    page.locator("[data-negative-current] tr[data-entry] button[type=submit]").click()
    page.locator("[data-negative-lifted] tr[data-entry]").wait_for()
    assert NegativeListEntry.objects.get().lifted_on == timezone.localdate()
    other.refresh_from_db()
    assert not other.on_negative_list
    screenshot(page, request, "3-negative-list")
