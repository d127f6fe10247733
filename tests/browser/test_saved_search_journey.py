"""Saved searches, end to end in a browser: a township recruiter searches the pool on the
desk, saves the search with notifications on, and puts the person found on a shortlist; a
new match arrives, the morning check tells the recruiter once in the site's inbox, and the
link there opens the search again, now with the newcomer; the shortlist page shows the phone
masked."""

import pytest
from django.urls import reverse

from portal.models import Notification, Role
from portal.registry.factories import UserFactory
from portal.registry.services import role_grant
from search.registry import document_spec
from search.services import index_rebuild
from talent.models import SavedSearch, Shortlist
from talent.saved_searches import tasks
from talent.services import profile_create

from .conftest import screenshot

pytestmark = pytest.mark.browser
PASSWORD = "Guiyan@2026"
PHONE = "13900000266"


def reindex() -> None:
    index_rebuild(spec=document_spec("talent"))


@pytest.fixture
def recruiter(home_page, tree):
    user = UserFactory(username="recruiter_s", password=PASSWORD)
    role_grant(user=user, role=Role.RECRUITER, organization=tree.township_a, actor=None)
    profile_create(
        name="李养殖", phone=PHONE, hometown_village=tree.village_a1, occupation="养殖户"
    )
    profile_create(name="周种植", hometown_village=tree.village_a2, occupation="种植户")
    profile_create(name="吴外乡", hometown_village=tree.village_b1, occupation="养殖户")
    reindex()
    return user


def log_in_admin(page, live_server) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "recruiter_s")
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def names_listed(page) -> set[str]:
    return set(
        page.locator("#desk-results tbody tr[data-profile] td:nth-child(2) a").all_inner_texts()
    )


def test_recruiter_saves_a_search_and_is_told_of_a_new_match_once(
    live_server, recruiter, tree, desktop_page, request
):
    page = desktop_page
    log_in_admin(page, live_server)
    page.goto(live_server.url + reverse("talent_desk:index"))
    page.fill("#desk-q", "养殖")
    page.locator("#desk-search button[type=submit]").click()
    page.wait_for_url(lambda url: "q=" in url)
    assert names_listed(page) == {"李养殖"}  # 吴外乡 is from another township
    search_url = page.url

    # Save it, notifications on: back on the same search with a message.
    page.fill("#desk-save input[name=name]", "养殖能人")
    page.check("#desk-save input[name=notify]")
    page.locator("#desk-save button[type=submit]").click()
    page.wait_for_url(lambda url: "q=" in url and "/talent/desk/" in url)
    assert "养殖能人" in page.locator("body").inner_text()
    saved = SavedSearch.objects.get(owner=recruiter)
    assert saved.notify and saved.params == {"q": ["养殖"]}

    # Put the person found on a new shortlist; its page masks the phone.
    page.goto(search_url)
    page.locator("#desk-results tbody tr[data-profile] input[name=profile]").first.check()
    page.fill("input[name=new_name]", "养殖带头人")
    page.locator("#desk-shortlist button[type=submit]").click()
    page.wait_for_url(search_url)
    shortlist = Shortlist.objects.get(name="养殖带头人")
    assert shortlist.organization == tree.township_a
    page.goto(live_server.url + reverse("talent_shortlists:detail", args=[shortlist.pk]))
    entries = page.locator("#shortlist-entries").inner_text()
    assert "李养殖" in entries and PHONE not in entries and "139****0266" in entries
    screenshot(page, request, "1-shortlist")

    # The saved searches page lists it with its words, and opens the search.
    page.goto(live_server.url + reverse("talent_saved_searches:index"))
    row = page.locator(f'#saved-searches tr[data-saved-search="{saved.pk}"]')
    assert "养殖能人" in row.inner_text() and "养殖" in row.inner_text()
    screenshot(page, request, "2-saved")

    # A newcomer matches; the morning check tells the recruiter, once.
    profile_create(name="王新养", hometown_village=tree.village_a2, occupation="生猪养殖")
    reindex()
    tasks.saved_searches_notify()
    tasks.saved_searches_notify()
    assert Notification.objects.filter(recipient=recruiter).count() == 1

    page.goto(live_server.url + reverse("inbox"))
    link = page.locator("a.item-title", has_text="养殖能人")
    assert link.count() == 1
    link.click()
    page.wait_for_url(lambda url: "/talent/desk/" in url and "q=" in url)
    assert names_listed(page) == {"李养殖", "王新养"}
    screenshot(page, request, "3-opened-from-inbox")

    # Turn notifications off, then delete the search.
    page.goto(live_server.url + reverse("talent_saved_searches:index"))
    row.locator("form[action$='/notify/'] button").click()
    page.wait_for_url(live_server.url + reverse("talent_saved_searches:index"))
    assert not SavedSearch.objects.get(pk=saved.pk).notify
    row.locator("form[action$='/delete/'] button").click()
    page.wait_for_url(live_server.url + reverse("talent_saved_searches:index"))
    assert not SavedSearch.objects.exists()
