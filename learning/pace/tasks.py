"""Background work for pace: the weekly reminders."""

from celery import shared_task

from portal.celery import RETRY

from . import services


# Beat, Monday 09:00.
@shared_task(**RETRY)
def pace_reminders_send() -> int:
    return services.pace_reminders_send()
