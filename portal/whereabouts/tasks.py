"""Background work for whereabouts and lost contact (失联)."""

from celery import shared_task

from portal.celery import RETRY
from portal.whereabouts import services


# Beat, daily: flag members out of contact; a second run flags nobody twice.
@shared_task(**RETRY)
def lost_contacts_flag() -> int:
    return services.lost_contacts_flag()
