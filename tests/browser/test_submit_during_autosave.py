"""An editor who presses Submit while Wagtail's autosave of a new page is still on its way gets
one page, in review, not the submitted page plus a draft copy "…-2"
(static/portal/submit_after_autosave.js)."""

import contextlib

import pytest
from playwright.sync_api import Error as PlaywrightError

from portal.models import Role, StudyMaterialPage
from portal.registry import services
from portal.registry.factories import UserFactory

from .conftest import county_and_township, open_page_editor, screenshot
from .test_publishing_journey import PASSWORD, log_in_admin, more_actions

pytestmark = pytest.mark.browser
TITLE = "外出务工期间怎样交纳党费"


@pytest.fixture
def section(home_page):
    county, township = county_and_township("乙镇党委", "B")
    editor = UserFactory(username="editor_b")
    editor.set_password(PASSWORD)
    editor.save()
    services.role_grant(user=editor, role=Role.EDITOR, organization=township, actor=None)
    return township.section


def test_submit_while_the_autosave_is_on_its_way_makes_one_page(
    live_server, section, desktop_page, request
):
    page = desktop_page
    held = []

    def hold_autosave(route):
        # The first autosave that creates the page reaches the server, but its answer is held
        # back, as on a slow network: the form is still the add form when the editor presses
        # Submit. (Autosaves refused for a missing field create nothing and pass through.)
        headers = route.request.headers
        if route.request.method != "POST" or "application/json" not in headers.get("accept", ""):
            route.continue_()
            return
        response = route.fetch(timeout=60_000)
        if response.ok:
            held.append((route, response))
        else:
            route.fulfill(response=response)

    log_in_admin(page, live_server, "editor_b")
    page.route("**/admin/pages/add/**", hold_autosave)
    open_page_editor(
        page, f"{live_server.url}/admin/pages/add/portal/studymaterialpage/{section.pk}/"
    )
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "党费按月交纳，也可以按季度交纳。")
    page.locator(".c-sf-add-button").first.click()
    page.locator("[role=option]").first.click()  # the first block: text
    editor = page.locator(".public-DraftEditor-content").first
    editor.click()
    editor.press_sequentially("可以委托家人代交，也可以在手机上交纳。", delay=20)
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the autosave never left"
    assert StudyMaterialPage.objects.filter(title=TITLE).count() == 1

    more_actions(page)
    page.locator("button[name=action-submit]").click()
    page.wait_for_timeout(500)  # what the browser does with the press while the answer waits
    route, response = held.pop()
    # Without the fix the page has already gone on and nobody waits for this answer.
    with contextlib.suppress(PlaywrightError):
        route.fulfill(response=response)
    page.wait_for_url(f"{live_server.url}/admin/pages/{section.pk}/")
    screenshot(page, request)

    pages = StudyMaterialPage.objects.filter(title=TITLE)
    assert [p.slug for p in pages] == [pages[0].slug], "the add form was posted twice"
    material = pages.get()
    assert material.current_workflow_state.status == "in_progress"
