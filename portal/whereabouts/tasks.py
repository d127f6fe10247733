"""Background work for whereabouts and lost contact (失联)."""

from celery import shared_task

from portal.celery import RETRY
from portal.whereabouts import overdue, services


# Beat, daily: flag members out of contact; a second run flags nobody twice.
@shared_task(**RETRY)
def lost_contacts_flag() -> int:
    return services.lost_contacts_flag()


# Beat, daily: raise the content rules' "whereabouts report overdue" events; each rule runs
# once per (member, month) whatever the number of runs.
@shared_task(**RETRY)
def whereabouts_overdue_raise() -> int:
    return overdue.whereabouts_overdue_raise()
