"""Background work for meetings: the inbox notices, and the daily reminder of tomorrow's."""

from celery import shared_task

from portal.celery import RETRY
from portal.meetings import notifications


@shared_task(**RETRY)
def meeting_notify(meeting_id: int, occasion: str) -> int:
    return notifications.meeting_notify(meeting_id=meeting_id, occasion=occasion)


# Beat, daily: one task per meeting starting tomorrow; a second run tells nobody twice.
@shared_task(**RETRY)
def meeting_reminders_send() -> int:
    due = notifications.meeting_reminders_due()
    for meeting_id in due:
        meeting_notify.delay(meeting_id, "reminder")
    return len(due)
