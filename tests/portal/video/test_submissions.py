"""A member's own micro-lecture: submitted on the phone, processed, reviewed in the section's
workflow like any page, and followed by the member on /lectures/mine/."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import PageViewRestriction, TaskState, WorkflowState

from portal.models import MicroLecturePage, Organization, Video
from portal.registry.factories import MemberFactory, OrganizationFactory, UserFactory
from portal.video import processing as video_processing
from portal.video.probe import VideoFileError
from portal.video.submissions import SubmissionStatus, lecture_submit, member_section

from . import helpers as video_helpers
from .helpers import upload

# Fixtures shared by the video, media and submission tests.
clips = video_helpers.clips
media_root = video_helpers.media_root
people = video_helpers.people
publishing = video_helpers.publishing

pytestmark = pytest.mark.django_db
SUBMIT, MINE = "/lectures/submit/", "/lectures/mine/"


@pytest.fixture
def submit(client, people, clips, media_root, django_capture_on_commit_callbacks):
    """Post the submission form as a member; the processing task runs once it commits."""

    def post(member=None, content=None, title="我的入党故事", summary="讲讲我在外务工的学习体会"):
        client.force_login((member or people.member_a).user)
        data = {"title": title, "summary": summary, "file": upload(content or clips.mp4)}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SUBMIT, data)

    return post


def _lecture(member) -> MicroLecturePage:
    return MicroLecturePage.objects.get(submitted_by=member)


def _task_state(page) -> TaskState:
    state = WorkflowState.objects.for_instance(page).get()
    return state.current_task_state.specific


def _mine(client, member) -> str:
    client.force_login(member.user)
    return client.get(MINE).content.decode()


def test_the_section_is_the_nearest_publishing_one_above_the_origin(people, publishing):
    assert member_section(people.member_a) == publishing.t01.section
    hamlet = OrganizationFactory(parent=publishing.v02, name="乙一村三组", code="T02-V1-3")
    member = MemberFactory(origin=hamlet)
    assert member_section(member) == publishing.t02.section


def test_a_member_without_a_section_above_gets_a_clear_error(clips, media_root, db):
    county = OrganizationFactory(
        code="X", kind=Organization.Kind.COMMITTEE, level=Organization.Level.COUNTY
    )
    member = MemberFactory(origin=county, user=UserFactory())
    with pytest.raises(ValidationError):
        lecture_submit(member=member, title="题目", summary="", file=upload(clips.mp4))
    assert not Video.objects.exists()


def test_submission_becomes_a_draft_that_waits_for_review(client, people, publishing, submit):
    response = submit()
    assert response.status_code == 302 and response["Location"] == MINE
    page = _lecture(people.member_a)
    assert not page.live and page.owner == people.member_a.user
    assert page.get_parent().specific == publishing.t01.section
    assert page.video.status == Video.Status.READY and page.video.organization == publishing.t01
    assert page.speaker == people.member_a.name
    # Members-only like every micro-lecture, and in the section's moderation workflow.
    assert PageViewRestriction.objects.filter(page=page).exists()
    assert page.workflow_in_progress
    assert _task_state(page).status == TaskState.STATUS_IN_PROGRESS
    assert 'data-status="pending"' in _mine(client, people.member_a)


def test_reviewers_of_the_section_see_it_in_their_dashboard(client, people, submit):
    submit()
    page = _lecture(people.member_a)
    task = _task_state(page).task.specific
    for reviewer in (people.reviewer_t01, people.reviewer_county):
        assert page.pk in [
            int(state.workflow_state.object_id)
            for state in task.get_task_states_user_can_moderate(reviewer)
        ]
        client.force_login(reviewer)
        assert page.title in client.get(reverse("wagtailadmin_home")).content.decode()
    assert not task.get_task_states_user_can_moderate(people.editor_t01).exists()


def test_approved_it_is_published_and_the_member_sees_the_link(
    client, people, submit, django_capture_on_commit_callbacks
):
    submit()
    page = _lecture(people.member_a)
    task_state = _task_state(page)
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state, people.reviewer_t01, "approve")
    page.refresh_from_db()
    assert page.live
    text = _mine(client, people.member_a)
    assert 'data-status="published"' in text and f'href="{page.url}"' in text


def test_rejected_with_a_comment_the_member_sees_the_reason(
    client, people, submit, django_capture_on_commit_callbacks
):
    submit()
    page = _lecture(people.member_a)
    task_state = _task_state(page)
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(
            task_state, people.reviewer_county, "reject", comment="声音太小，请重新录制"
        )
    page.refresh_from_db()
    assert not page.live
    text = _mine(client, people.member_a)
    assert 'data-status="rejected"' in text and "声音太小，请重新录制" in text


def test_approval_through_the_admin_view_publishes_it(client, people, submit):
    submit()
    page = _lecture(people.member_a)
    task_state = _task_state(page)
    client.force_login(people.reviewer_t01)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": ""})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live


@pytest.mark.parametrize("clip", ["fake", "truncated", "truncated_faststart"])
def test_a_fake_or_corrupt_video_is_refused_on_the_file_field(people, submit, clips, clip):
    response = submit(content=getattr(clips, clip))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert not MicroLecturePage.objects.exists() and not Video.objects.exists()


def test_an_oversized_video_is_refused(people, submit, settings):
    settings.VIDEO_MAX_UPLOAD_MB = 0
    response = submit()
    assert list(response.context["form"].errors) == ["file"]
    assert not MicroLecturePage.objects.exists()


def test_a_video_that_fails_processing_never_reaches_review(client, people, submit):
    damaged = VideoFileError(VideoFileError.DAMAGED)
    with mock.patch.object(video_processing, "video_poster", side_effect=damaged):
        submit()
    page = _lecture(people.member_a)
    assert page.video.status == Video.Status.FAILED and not page.live
    assert not WorkflowState.objects.for_instance(page).exists()
    text = _mine(client, people.member_a)
    assert 'data-status="failed"' in text and page.video.error in text


def test_forwarding_twice_starts_one_workflow(people, submit):
    from portal.video.processing import lecture_submissions_forward

    submit()
    page = _lecture(people.member_a)
    assert lecture_submissions_forward(video=page.video) == []
    assert WorkflowState.objects.for_instance(page).count() == 1


def test_a_member_sees_only_their_own_submissions(client, people, submit):
    submit(title="甲村的微党课")
    submit(member=people.member_b, title="乙村的微党课")
    text_b = _mine(client, people.member_b)
    assert "乙村的微党课" in text_b and "甲村的微党课" not in text_b
    assert (
        _lecture(people.member_b).get_parent().specific
        == people.member_b.origin.get_parent().section
    )


def test_members_cannot_edit_pages_in_the_admin(client, people, submit):
    submit()
    page = _lecture(people.member_a)
    client.force_login(people.member_a.user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_only_members_submit_and_only_after_logging_in(client, people):
    response = client.get(SUBMIT)
    assert response.status_code == 302 and reverse("portal:login") in response["Location"]
    client.force_login(people.editor_t01)
    assert client.get(SUBMIT).status_code == 403
    assert client.get(MINE).status_code == 403


def test_the_phone_form_records_or_picks_a_video(client, people):
    client.force_login(people.member_a.user)
    text = client.get(SUBMIT).content.decode()
    assert 'enctype="multipart/form-data"' in text
    assert 'accept="video/*" capture="user"' in text
    assert text.count('name="file"') == 2
    assert "<script" not in text.split("</header>")[1]


def test_the_home_page_member_card_links_to_submission(client, people):
    client.force_login(people.member_a.user)
    text = client.get("/").content.decode()
    assert f'href="{SUBMIT}"' in text and f'href="{MINE}"' in text


def test_status_labels_cover_every_status():
    statuses = {v for k, v in vars(SubmissionStatus).items() if k.isupper()}
    assert statuses == set(SubmissionStatus.labels)
