import pytest
from django.utils import timezone

from learning.models import CreditEntry, StepProgress, TrackCompletion
from learning.progress.services import step_complete

from ..helpers import learning_setup


@pytest.fixture
def setup(tree):
    return learning_setup(tree.township_a)


def _complete(member, step):
    progress = StepProgress.objects.create(member=member, step=step, opened_at=timezone.now())
    return step_complete(progress=progress, at=timezone.now())


def test_track_completes_once_all_required_steps_are_done(setup, members):
    """The elective steps are not needed; the last required step completes the track and
    credits its hours and points once."""
    steps = setup.steps
    assert _complete(members.a1, steps.material)
    assert _complete(members.a1, steps.lecture)
    assert not TrackCompletion.objects.filter(member=members.a1).exists()
    assert _complete(members.a1, steps.quiz)

    completion = TrackCompletion.objects.get(member=members.a1)
    assert completion.track_title == "十一月学习包"
    track_entry = CreditEntry.objects.get(member=members.a1, source=CreditEntry.Source.TRACK)
    assert (track_entry.hours, track_entry.points) == (completion.study_hours, 20)


def test_completing_again_changes_nothing(setup, members):
    """A step completed twice, and a track checked twice, credit nothing more."""
    for step in (setup.steps.material, setup.steps.lecture, setup.steps.quiz):
        _complete(members.a1, step)
    progress = StepProgress.objects.get(member=members.a1, step=setup.steps.quiz)
    assert not step_complete(progress=progress, at=timezone.now())
    from learning.progress.services import track_completion_check

    again = track_completion_check(
        member_id=members.a1.pk, track_id=setup.track.pk, at=timezone.now()
    )
    assert again is None
    assert TrackCompletion.objects.filter(member=members.a1).count() == 1
    assert CreditEntry.objects.filter(member=members.a1, source="track").count() == 1


def test_tracks_reach_members_of_the_subtree_and_named_members(setup, members, tree):
    """Assigned to township A: its villages' members have it, township B's member does not
    until the track is assigned to them by name."""
    from learning.models import TrackAssignment
    from learning.tracks.selectors import tracks_for_member

    assert list(tracks_for_member(members.a1)) == [setup.track]
    assert list(tracks_for_member(members.b1)) == []
    TrackAssignment.objects.create(track=setup.track, member=members.b1)
    assert list(tracks_for_member(members.b1)) == [setup.track]
