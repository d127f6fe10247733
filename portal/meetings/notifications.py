"""Telling members of their meetings in the inbox: when one is planned, and the day before.
Each notice is kept once per member and occasion (``source_key``), however often it runs."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.inbox.models import Notification
from portal.inbox.services import notifications_send
from portal.meetings.models import Meeting, MeetingAttendance
from portal.meetings.selectors import meetings_due_reminder

OCCASIONS = ("planned", "reminder")
STILL_EXPECTED = (MeetingAttendance.Status.EXPECTED, MeetingAttendance.Status.LEAVE_REQUESTED)


def meeting_notify(*, meeting_id: int, occasion: str) -> int:
    """Tell the members still expected (not on leave) about the meeting; returns how many
    members were addressed (those told before are skipped by the inbox)."""
    meeting = Meeting.objects.filter(pk=meeting_id, state=Meeting.State.PLANNED).first()
    if meeting is None or occasion not in OCCASIONS:
        return 0
    recipients = list(
        meeting.attendances.filter(
            member__user__isnull=False,
            member__user__is_active=True,
            status__in=STILL_EXPECTED,
        )
        .order_by("member__user_id")
        .values_list("member__user_id", flat=True)
    )
    when = date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
    with translation.override(settings.LANGUAGE_CODE):  # stored text, read later in any request
        template = (
            _("Tomorrow: %(kind)s “%(title)s”")
            if occasion == "reminder"
            else _("New meeting: %(kind)s “%(title)s”")
        )
        title = template % {"kind": meeting.get_kind_display(), "title": meeting.title}
        body = f"{when} · {meeting.place or meeting.online_link}"
    notifications_send(
        recipient_ids=recipients,
        kind=Notification.Kind.REMINDER,
        title=title,
        body=body,
        url=reverse("my_meeting", args=[meeting.pk]),
        source_key=f"meeting:{meeting.pk}:{occasion}",
    )
    return len(recipients)


def meeting_reminders_due(today: datetime.date | None = None) -> list[int]:
    """The meetings starting tomorrow, whose members the daily beat reminds."""
    today = today or timezone.localdate()
    due = meetings_due_reminder(today + datetime.timedelta(days=1))
    return list(due.values_list("pk", flat=True))
