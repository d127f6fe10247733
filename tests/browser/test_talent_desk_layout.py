"""The recruiter's desk at 1366×900 with the admin's sidebar open: the results table shows
every column (the last, 本年度学时, inside the window, nothing to scroll sideways), and the
shortlist's names keep to one line."""

import pytest
from django.urls import reverse

from portal.models import Role
from portal.registry.factories import UserFactory
from portal.registry.services import role_grant
from search.registry import document_spec
from search.services import index_rebuild
from talent.models import Education, Industry, Willingness
from talent.services import profile_create
from talent.shortlists.services import shortlist_create, shortlist_entries_add

from .conftest import _page, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "Guiyan@2026"
WINDOW = {"width": 1366, "height": 900}


@pytest.fixture
def window_page(browser, request):
    yield from _page(browser, request, viewport=WINDOW)


@pytest.fixture
def recruiter_with_shortlist(home_page, tree):
    """A county recruiter; a pool whose cells are as long as the choices allow, all on one
    shortlist with notes."""
    recruiter = UserFactory(username="recruiter_w", password=PASSWORD)
    role_grant(user=recruiter, role=Role.RECRUITER, organization=tree.county, actor=None)
    profiles = [
        profile_create(
            name=name,
            phone=f"1390000{index:04d}",
            hometown_village=tree.village_a1,
            industry=Industry.AGRICULTURE,
            education=Education.BACHELOR,
            willingness=Willingness.MAYBE,
            occupation="养殖场场长",
        )
        for index, name in enumerate(["欧阳志远", "司马相如", "张养成", "诸葛明亮"])
    ]
    shortlist = shortlist_create(user=recruiter, name="养殖带头人", organization=tree.county)
    shortlist_entries_add(
        user=recruiter, shortlist=shortlist, profile_ids=[profile.pk for profile in profiles]
    )
    shortlist.entries.update(note="愿意回村任职，需与家人商量，下月再联系确认。")
    index_rebuild(spec=document_spec("talent"))
    return shortlist


def log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "recruiter_w")
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def test_results_show_every_column_and_shortlist_names_keep_to_one_line(
    live_server, recruiter_with_shortlist, window_page, request
):
    page = window_page
    log_in(page, live_server)
    page.goto(live_server.url + reverse("talent_desk:index") + "?q=养殖")
    assert page.locator("#wagtail-sidebar").bounding_box()["width"] > 150  # the sidebar is open
    last = page.locator("#desk-results thead th").last
    assert last.inner_text().strip() == "本年度学时"
    box = last.bounding_box()
    assert box["x"] + box["width"] <= WINDOW["width"]
    overflow = page.evaluate(
        "() => { const t = document.querySelector('#desk-results');"
        " const s = t.parentElement; return [s.scrollWidth, s.clientWidth]; }"
    )
    assert overflow[0] <= overflow[1], "the results scroll sideways"
    screenshot(page, request, "desk")

    page.goto(
        live_server.url + reverse("talent_shortlists:detail", args=[recruiter_with_shortlist.pk])
    )
    names = page.locator("#shortlist-entries tbody td:nth-child(2) a")
    assert names.count() == 4
    for index in range(4):
        lines = names.nth(index).evaluate("link => link.getClientRects().length")
        assert lines == 1, names.nth(index).inner_text()
