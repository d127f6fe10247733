"""Background work for care: telling the other side of a transfer what moved."""

from celery import shared_task

from portal.care import notifications
from portal.celery import RETRY


@shared_task(**RETRY)
def care_transfer_notify(transfer_id: int, state: str) -> None:
    notifications.transfer_notify(transfer_id=transfer_id, state=state)
