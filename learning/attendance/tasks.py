"""Background work for offline sessions: crediting a branch meeting linked to a track."""

from celery import shared_task

from portal.celery import RETRY

from . import meetings


@shared_task(**RETRY)
def meeting_sessions_credit(meeting_id: int) -> int:
    return meetings.meeting_sessions_credit(meeting_id=meeting_id)
