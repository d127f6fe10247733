"""A branch meeting linked to a track counts as its offline session for those present: the
step's credit once, through the ledger, whatever corrections follow."""

import datetime

import pytest
from django.utils import timezone

from learning.models import CreditEntry, StepProgress, TrackStep
from portal.meetings import services as meetings
from portal.models import Role

from ..helpers import learning_setup


@pytest.fixture
def setup(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return learning_setup(tree.township_a)


@pytest.fixture
def held(tree, setup, members, user_with_role):
    secretary = user_with_role(Role.ORG_ADMIN, tree.township_a, "secretary_a")
    starts = timezone.now() - datetime.timedelta(days=1)
    meeting = meetings.meeting_plan(
        user=secretary,
        organization=tree.village_a1,
        kind="lecture",
        title="党课",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        place="村部",
        study_page=setup.track.page_ptr,
    )
    return meeting, secretary


def _record(meeting, secretary, status, capture, *, close=False):
    service = meetings.meeting_close if close else meetings.meeting_correct
    with capture(execute=True):
        service(
            meeting=meeting,
            user=secretary,
            statuses={meeting.attendances.get().member_id: status},
            minutes="",
            decisions="",
        )


def test_those_present_get_the_session_credit_once(
    held, setup, members, django_capture_on_commit_callbacks
):
    meeting, secretary = held
    step = setup.track.steps.get(kind=TrackStep.Kind.OFFLINE)
    _record(meeting, secretary, "present", django_capture_on_commit_callbacks, close=True)
    _record(meeting, secretary, "present", django_capture_on_commit_callbacks)
    entries = CreditEntry.objects.filter(member=members.a1, source_key=f"step:{step.pk}")
    assert entries.count() == 1
    progress = StepProgress.objects.get(member=members.a1, step=step)
    assert progress.completed_at == meeting.starts_at
    assert not CreditEntry.objects.filter(member=members.a2).exists()


def test_the_absent_get_nothing(held, setup, members, django_capture_on_commit_callbacks):
    meeting, secretary = held
    _record(meeting, secretary, "absent", django_capture_on_commit_callbacks, close=True)
    assert not CreditEntry.objects.filter(member=members.a1).exists()


def test_a_meeting_without_a_track_credits_nothing(
    held, members, django_capture_on_commit_callbacks
):
    meeting, secretary = held
    meeting.study_page = None
    meeting.save(update_fields=["study_page"])
    _record(meeting, secretary, "present", django_capture_on_commit_callbacks, close=True)
    assert not CreditEntry.objects.filter(member=members.a1).exists()
