"""Background work for the registry: each task calls one service and is safe to run twice."""

from celery import shared_task

from portal.celery import RETRY
from portal.registry import services


@shared_task(**RETRY)
def activation_codes_purge() -> int:
    return services.activation_codes_purge()
