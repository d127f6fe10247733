"""A branch meeting (portal's 三会一课) linked to a learning track counts as the track's
offline sessions for the members present: each gets the session step's credit once, through
the ledger, as if the secretary had ticked them on the step's attendance sheet.

Credit once granted stays (see ``services``): a correction that marks a member absent later
leaves the ledger alone.
"""

from django.db import transaction

from portal.models import Meeting, MeetingAttendance

from ..models import OfflineAttendance, StepProgress, TrackPage, TrackStep
from ..progress.services import step_complete


def _sessions(meeting: Meeting):
    if meeting.study_page_id is None:
        return TrackStep.objects.none()
    track = TrackPage.objects.live().filter(pk=meeting.study_page_id)
    return TrackStep.objects.filter(track__in=track, kind=TrackStep.Kind.OFFLINE)


def meeting_sessions_credit(*, meeting_id: int) -> int:
    """Credit the linked track's offline steps to the closed meeting's members present;
    returns how many steps were newly completed."""
    meeting = Meeting.objects.filter(pk=meeting_id, state=Meeting.State.CLOSED).first()
    if meeting is None:
        return 0
    present = list(
        meeting.attendances.filter(status=MeetingAttendance.Status.PRESENT)
        .order_by("member_id")
        .values_list("member_id", flat=True)
    )
    completed = 0
    for step in _sessions(meeting).order_by("pk"):
        with transaction.atomic():
            for member_id in present:
                completed += _credit(step, member_id, meeting)
    return completed


def _credit(step: TrackStep, member_id: int, meeting: Meeting) -> bool:
    OfflineAttendance.objects.update_or_create(
        step=step, member_id=member_id, defaults={"attended": True}
    )
    progress, _created = StepProgress.objects.get_or_create(
        member_id=member_id, step=step, defaults={"opened_at": meeting.starts_at}
    )
    progress = StepProgress.objects.select_for_update().select_related("step").get(pk=progress.pk)
    return step_complete(progress=progress, at=meeting.starts_at)
