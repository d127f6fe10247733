"""The recruiter's desk, end to end in a browser: a county recruiter logs in to the admin,
narrows the pool to one township and at least a junior-college education, searches 养殖,
puts the two people found on a new shortlist, compares them side by side from the shortlist,
and exports the search's results to a workbook with the numbers masked."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.models import Role
from portal.registry.factories import UserFactory
from portal.registry.services import role_grant
from search.registry import document_spec
from search.services import index_rebuild
from talent.models import Education, Industry, Shortlist
from talent.services import profile_create

from .conftest import screenshot

pytestmark = pytest.mark.browser
PASSWORD = "Guiyan@2026"
PHONE = "13900000188"


@pytest.fixture
def pool(home_page, tree, settings, tmp_path):
    """Four breeders: two match every filter; one lacks the schooling, one lives elsewhere."""
    settings.MEDIA_ROOT = tmp_path / "media"
    recruiter = UserFactory(username="recruiter_c", password=PASSWORD)
    role_grant(user=recruiter, role=Role.RECRUITER, organization=tree.county, actor=None)
    breeder = profile_create(
        name="张养成",
        phone=PHONE,
        hometown_village=tree.village_a1,
        employer="鹏城生态农场",
        industry=Industry.AGRICULTURE,
        education=Education.BACHELOR,
        skills=["养殖"],
    )
    keeper = profile_create(
        name="刘畜牧",
        hometown_village=tree.village_a2,
        occupation="养殖场场长",
        education=Education.COLLEGE,
    )
    profile_create(name="陈高中", hometown_village=tree.village_a1, occupation="养殖", education=2)
    profile_create(name="王外乡", hometown_village=tree.village_b1, occupation="养殖", education=4)
    index_rebuild(spec=document_spec("talent"))
    return breeder, keeper


def log_in_admin(page, live_server) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "recruiter_c")
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def names_listed(page) -> set[str]:
    return set(
        page.locator("#desk-results tbody tr[data-profile] td:nth-child(2) a").all_inner_texts()
    )


def test_recruiter_filters_searches_shortlists_compares_and_exports(
    live_server, pool, tree, desktop_page, request
):
    breeder, keeper = pool
    page = desktop_page
    log_in_admin(page, live_server)
    page.goto(live_server.url + reverse("talent_desk:index"))
    assert names_listed(page) == {"张养成", "刘畜牧", "陈高中", "王外乡"}

    # Hometown: the township's facet link; then education at least 大专 and the words 养殖.
    page.locator('#desk-facets [data-facet="township"] a', has_text="甲镇党委").click()
    page.wait_for_url(lambda url: "township=" in url)
    assert "王外乡" not in names_listed(page)
    page.select_option("select[name=education]", label="大专")
    page.fill("#desk-q", "养殖")
    page.locator("#desk-search button[type=submit]").click()
    page.wait_for_url(lambda url: "q=" in url)
    assert names_listed(page) == {"张养成", "刘畜牧"}
    results = page.locator("#desk-results").inner_text()
    assert "本科" in results and "大专" in results
    assert PHONE not in results and breeder.masked_phone in results
    assert page.locator("#desk-results mark").count() >= 1
    search_url = page.url
    screenshot(page, request, "1-results")

    # Both onto a new shortlist; back on the search with the department's message.
    for profile in (breeder, keeper):
        page.check(f'#desk-results tr[data-profile="{profile.pk}"] input[name=profile]')
    page.fill("input[name=new_name]", "养殖带头人")
    page.locator("#desk-shortlist button[type=submit]").click()
    page.wait_for_url(search_url)
    assert "养殖带头人" in page.locator("body").inner_text()
    shortlist = Shortlist.objects.get(name="养殖带头人")
    assert set(shortlist.entries.values_list("profile_id", flat=True)) == {breeder.pk, keeper.pk}

    # From the shortlist: tick both and compare.
    page.goto(live_server.url + reverse("talent_shortlists:detail", args=[shortlist.pk]))
    for profile in (breeder, keeper):
        page.check(f'#shortlist-entries tr[data-profile="{profile.pk}"] input[name=profile]')
    page.locator("#shortlist-compare button[type=submit]").click()
    page.wait_for_url(lambda url: "/talent/desk/compare/" in url)
    table = page.locator("#compare-table").inner_text()
    for text in ("张养成", "刘畜牧", "鹏城生态农场", "养殖场场长", "本科", "大专", "甲镇党委"):
        assert text in table
    assert PHONE not in table
    screenshot(page, request, "2-compare")

    # Export the search's results: the job's page offers the workbook.
    page.goto(search_url)
    page.locator("#desk-export button[type=submit]").click()
    page.wait_for_url(lambda url: "/admin/jobs/" in url)
    with page.expect_download() as download_info:
        page.locator("[data-job-download]").click()
    assert "下载" in page.locator("[data-job-download]").inner_text()
    path = download_info.value.path()
    book = load_workbook(io.BytesIO(path.read_bytes()))
    rows = list(book.active.iter_rows(values_only=True))
    assert {row[0] for row in rows[1:]} == {"张养成", "刘畜牧"}
    assert breeder.masked_phone in str(rows) and PHONE not in str(rows)
    screenshot(page, request, "3-export")
