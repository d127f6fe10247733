"""Completing steps and tracks: each exactly once per member, whatever arrives twice."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.models import Member

from . import credit
from .models import StepProgress, TrackCompletion, TrackPage


def step_complete(*, progress: StepProgress, at: datetime.datetime) -> bool:
    """Mark the step done and credit it, then complete the track if that was the last step.

    The caller holds the progress row (select_for_update) inside a transaction. Returns
    False if the step was already done.

    Two steps of one track completing at once in two transactions must not each miss the
    other: the member's row makes them take turns, so the second sees the first's step done.
    Locks are always taken progress row first, member row second.
    """
    if progress.completed_at is not None:
        return False
    list(Member.objects.select_for_update().filter(pk=progress.member_id).values_list("pk"))
    progress.completed_at = at
    progress.save(update_fields=["completed_at"])
    step = progress.step
    credit.step_credit_grant(member_id=progress.member_id, step=step, on=timezone.localdate(at))
    track_completion_check(member_id=progress.member_id, track_id=step.track_id, at=at)
    return True


def track_is_done(*, member_id: int, track: TrackPage) -> bool:
    """All required steps done; a track with only elective steps needs one of them."""
    steps = list(track.steps.values_list("pk", "required"))
    required = [pk for pk, is_required in steps if is_required]
    done = set(
        StepProgress.objects.filter(
            member_id=member_id, step__track=track, completed_at__isnull=False
        ).values_list("step_id", flat=True)
    )
    if required:
        return done.issuperset(required)
    return bool(done)


def track_completion_check(
    *, member_id: int, track_id: int, at: datetime.datetime
) -> TrackCompletion | None:
    """Complete the track for the member if every step it needs is done.

    Returns the new completion, or None (not done yet, or completed before). The unique
    constraint on (member, track) makes a second completion impossible.
    """
    track = TrackPage.objects.get(pk=track_id)
    if not track_is_done(member_id=member_id, track=track):
        return None
    completion = TrackCompletion(
        member_id=member_id,
        track=track,
        track_title=track.title,
        track_kind=track.kind,
        study_hours=track.study_hours,
        points=track.points,
        completed_at=at,
    )
    try:
        with transaction.atomic():
            completion.save()
    except IntegrityError:
        return None
    credit.track_credit_grant(completion=completion)
    transaction.on_commit(lambda: _certificate_enqueue(completion.pk))
    return completion


def _certificate_enqueue(completion_id: int) -> None:
    from .tasks import certificate_issue

    certificate_issue.delay(completion_id)
