"""Meeting triggers of the content rules: a meeting planned, a meeting closed (the branch
that holds it is the organisation concerned), and a member absent three times in a row
(the member's origin branch is, as for every member trigger)."""

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.meetings.models import Meeting, MeetingAttendance
from portal.meetings.oversight import absence_runs_through
from portal.rules.registry import Event, Trigger, trigger_register
from portal.rules.subjects import member_trigger_register

Status = MeetingAttendance.Status
PLANNED, CLOSED, ABSENT_IN_A_ROW = "meeting_planned", "meeting_closed", "member_absent_in_a_row"
MEETING_FIELDS = ("title", "kind", "starts", "place", "organization")
COUNTS = ("present", "on_leave", "absent")


def _starts(meeting: Meeting) -> str:
    with translation.override(settings.LANGUAGE_CODE):  # stored text, read later
        return date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")


def _meeting_values(meeting: Meeting) -> dict[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        kind = str(meeting.get_kind_display())
    return {
        "title": meeting.title,
        "kind": kind,
        "starts": _starts(meeting),
        "place": meeting.place or meeting.online_link,
        "organization": meeting.organization.name,
    }


def _counts(meeting: Meeting) -> dict[str, int]:
    return meeting.attendances.aggregate(
        present=Count("pk", filter=Q(status=Status.PRESENT)),
        on_leave=Count("pk", filter=Q(status=Status.LEAVE)),
        absent=Count("pk", filter=Q(status=Status.ABSENT)),
    )


def _meeting_loader(trigger: str, state: str):
    def load(*, event_key: str, meeting_id: int, **_context) -> Event | None:
        meeting = Meeting.objects.select_related("organization").filter(pk=meeting_id).first()
        if meeting is None or (state == Meeting.State.CLOSED and not meeting.is_closed):
            return None
        values, numbers = _meeting_values(meeting), {}
        if state == Meeting.State.CLOSED:
            numbers = _counts(meeting)
            values |= {name: str(n) for name, n in numbers.items()}
        return Event(
            trigger=trigger,
            key=event_key,
            organization=meeting.organization,
            values=values,
            numbers=numbers,
            link=reverse("my_meeting", args=[meeting.pk]),
            staff_link=reverse("portal_meeting:detail", args=[meeting.pk]),
            # Whoever planned or closed it is not told of their own act.
            actor_id=meeting.closed_by_id
            if state == Meeting.State.CLOSED
            else meeting.created_by_id,
        )

    return load


def _absent(attendance: MeetingAttendance) -> dict:
    meeting = attendance.meeting
    _start, length = absence_runs_through(meeting).get(attendance.member_id, (None, 0))
    return {
        "title": _("Absent %(count)s times in a row: %(name)s")
        % {"count": length, "name": attendance.member.name},
        "link": reverse("my_meetings"),
        "staff_link": reverse("portal_meeting:member", args=[attendance.member_id]),
        "values": {
            "meeting": meeting.title,
            "branch": meeting.organization.name,
            "absences": str(length),
        },
        "numbers": {"absences": length},
    }


def register_meeting_triggers() -> None:
    for key, label, state in (
        (PLANNED, gettext_lazy("a meeting is planned"), Meeting.State.PLANNED),
        (CLOSED, gettext_lazy("a meeting is closed"), Meeting.State.CLOSED),
    ):
        fields = MEETING_FIELDS + (COUNTS if state == Meeting.State.CLOSED else ())
        numbers = COUNTS if state == Meeting.State.CLOSED else ()
        trigger_register(
            Trigger(
                key=key,
                label=label,
                load=_meeting_loader(key, state),
                fields=fields,
                numbers=numbers,
            )
        )
    member_trigger_register(
        key=ABSENT_IN_A_ROW,
        label=gettext_lazy("a member is absent three times in a row"),
        model=MeetingAttendance,
        context_key="attendance_id",
        build=_absent,
        fields=("meeting", "branch", "absences"),
        numbers=("absences",),
    )
