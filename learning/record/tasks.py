"""Background work for the record: issuing a completed track's certificate."""

from celery import shared_task

from portal.celery import RETRY

from . import services


@shared_task(**RETRY)
def certificate_issue(completion_id: int) -> None:
    services.certificate_issue(completion_id=completion_id)
