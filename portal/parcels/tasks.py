"""Background work for red packages."""

from celery import shared_task

from portal.celery import RETRY
from portal.parcels import notifications


@shared_task(**RETRY)
def red_package_dispatch_notify(request_id: int) -> None:
    notifications.package_dispatch_notify(request_id=request_id)
