"""The issue's whole path in a real browser: an editor writes a study material and submits it,
a reviewer approves it, and a member on a phone reads it and plays the micro-lecture."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import MicroLecturePage, Role, StudyMaterialPage
from portal.registry import services
from portal.registry.factories import MemberFactory, OrganizationFactory, UserFactory
from portal.video import services as video_services
from tests.portal.content.helpers import publish
from tests.portal.video.helpers import make_video

from .conftest import autosaved_page_id, county_and_township, open_page_editor, screenshot
from .test_member_journey import assert_phone_friendly

pytestmark = pytest.mark.browser
PASSWORD = "Guiyan@2026"
TITLE = "流动党员如何按月报告去向"
TEXT = "每月五日前，通过手机更新工作单位、居住地址和联系电话。"


@pytest.fixture
def newsroom(home_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    county, township = county_and_township()
    village = OrganizationFactory(parent=township, name="甲一村党支部", code="A1")
    people = {}
    for username, role in (("editor_a", Role.EDITOR), ("reviewer_a", Role.REVIEWER)):
        people[username] = UserFactory(username=username)
        services.role_grant(user=people[username], role=role, organization=township, actor=None)
    member_user = UserFactory(username="13900000001")
    MemberFactory(name="龙建华", phone="13900000001", origin=village, user=member_user)
    video = video_services.video_upload(
        title="按月报告去向",
        file=SimpleUploadedFile("lecture.mp4", make_video(seconds=4)),
        organization=township,
        uploaded_by=people["reviewer_a"],
    )
    video.refresh_from_db()
    assert video.is_ready, video.error
    lecture = publish(township.section, MicroLecturePage(title="三分钟学会报告去向", video=video))
    return {"section": township.section, "lecture": lecture}


def log_in_admin(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def more_actions(page) -> None:
    """Open the page editor footer's dropdown of further actions."""
    page.locator("footer .w-dropdown__toggle").first.click()


def editor_writes_and_submits(page, live_server, section) -> StudyMaterialPage:
    log_in_admin(page, live_server, "editor_a")
    open_page_editor(
        page, f"{live_server.url}/admin/pages/add/portal/studymaterialpage/{section.pk}/"
    )
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "去向报告的时间和内容。")
    page.locator(".c-sf-add-button").first.click()
    page.locator("[role=option]").first.click()  # the first block: text
    editor = page.locator(".public-DraftEditor-content").first
    editor.click()
    editor.press_sequentially(TEXT, delay=20)
    pk = autosaved_page_id(page)  # before Submit: else it races the autosave (conftest)
    more_actions(page)
    page.locator("button[name=action-submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/pages/{section.pk}/")
    assert StudyMaterialPage.objects.filter(title=TITLE).count() == 1
    material = StudyMaterialPage.objects.get(pk=pk)
    assert not material.live
    assert material.current_workflow_state.status == "in_progress"
    return material


def reviewer_approves(page, live_server, material) -> None:
    log_in_admin(page, live_server, "reviewer_a")
    page.goto(f"{live_server.url}/admin/pages/{material.pk}/edit/")
    more_actions(page)
    # "Approve" without a comment (the other approve button opens a comment dialog).
    approve = "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    page.locator(approve).first.click()
    page.wait_for_url(f"{live_server.url}/admin/pages/{material.get_parent().pk}/")
    material.refresh_from_db()
    assert material.live


def test_editor_writes_reviewer_approves_member_reads_and_plays(
    live_server, newsroom, desktop_page, phone_page, request
):
    material = editor_writes_and_submits(desktop_page, live_server, newsroom["section"])
    screenshot(desktop_page, request, "1-submitted")
    desktop_page.context.clear_cookies()
    reviewer_approves(desktop_page, live_server, material)
    screenshot(desktop_page, request, "2-approved")

    page = phone_page
    page.goto(live_server.url + material.url)
    assert "/accounts/login/" in page.url  # members-only by default
    page.fill("input[name=username]", "13900000001")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_server.url + material.url)
    assert page.locator("h1").inner_text() == TITLE
    assert TEXT in page.locator("main").inner_text()
    assert_phone_friendly(page)
    screenshot(page, request, "3-member-reads")

    page.goto(live_server.url + newsroom["lecture"].url)
    played = page.evaluate(
        """async () => {
            const video = document.querySelector('video');
            video.muted = true;
            await video.play();
            await new Promise(resolve => setTimeout(resolve, 1500));
            return video.currentTime;
        }"""
    )
    assert played > 0.5, "the micro-lecture did not play"
    assert_phone_friendly(page)
    screenshot(page, request, "4-member-plays")
