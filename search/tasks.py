"""Background work for search: drain the durable indexing queue."""

from celery import shared_task
from django.db import OperationalError

from . import services
from .engines.base import SearchEngineUnavailable

RETRY = {
    "autoretry_for": (ConnectionError, TimeoutError, OperationalError, SearchEngineUnavailable),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


# On commit after every enqueue, and from beat every minute for what a failure left behind.
@shared_task(**RETRY)
def index_queue_drain() -> int:
    return services.index_queue_drain()
