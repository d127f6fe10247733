"""The inbox notices: on planning, and the reminder the day before, each once per member."""

import datetime

from django.utils import timezone

from portal.meetings import services, tasks
from portal.models import Meeting, Notification


def test_planning_tells_the_expected_members_once(plan, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = plan()
    notices = Notification.objects.filter(source_key=f"meeting:{meeting.pk}:planned")
    assert list(notices.values_list("recipient", flat=True)) == [people["member"].pk]
    tasks.meeting_notify(meeting.pk, "planned")
    assert notices.count() == 1


def _tomorrow_at(hour: int) -> datetime.datetime:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(hour)))


def test_the_beat_reminds_tomorrow_s_meetings_only(plan, people, members):
    tomorrow = plan(starts_in=_tomorrow_at(10) - timezone.now())
    later = plan(starts_in=_tomorrow_at(10) + datetime.timedelta(days=1) - timezone.now())
    assert tasks.meeting_reminders_send() == 1
    assert tasks.meeting_reminders_send() == 1
    reminders = Notification.objects.filter(source_key__endswith=":reminder")
    assert list(reminders.values_list("source_key", flat=True)) == [
        f"meeting:{tomorrow.pk}:reminder"
    ]
    assert reminders.get().recipient == people["member"]
    assert later.pk != tomorrow.pk


def test_a_member_on_leave_is_not_reminded(plan, members):
    meeting = plan(starts_in=_tomorrow_at(10) - timezone.now())
    attendance = services.attendance_leave_request(
        meeting=meeting, member=members.b1, reason="病假"
    )
    services.attendance_leave_grant(attendance=attendance)
    tasks.meeting_reminders_send()
    assert not Notification.objects.filter(source_key__endswith=":reminder").exists()


def test_a_closed_meeting_reminds_nobody(plan, members, people):
    meeting = plan()
    Meeting.objects.filter(pk=meeting.pk).update(state=Meeting.State.CLOSED)
    assert tasks.meeting_notify(meeting.pk, "reminder") == 0
