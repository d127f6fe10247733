"""Background work for the periods of the record. Each task calls one service and is safe to
run twice."""

from celery import shared_task

from portal.celery import RETRY

from . import deductions, notifications, tally


# Beat, 00:30 on the 1st: the month that just ended, before it is tallied.
@shared_task(**RETRY)
def deductions_apply(year: int | None = None, month: int | None = None) -> int:
    return deductions.deductions_apply(year=year, month=month)


# Beat, 01:00 on the 1st: the month that just ended.
@shared_task(**RETRY)
def monthly_tally(year: int | None = None, month: int | None = None) -> int:
    return tally.monthly_tally(year=year, month=month)


@shared_task(**RETRY)
def publication_notify(publication_id: int) -> None:
    notifications.publication_notify(publication_id=publication_id)
