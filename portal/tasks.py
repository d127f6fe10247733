"""Background work for the registry. Each task calls one service and is safe to run twice."""

from celery import shared_task

from . import services


@shared_task(
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def activation_codes_purge() -> int:
    return services.activation_codes_purge()
