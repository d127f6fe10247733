"""The durable indexing queue's entrance, which apps call when their documents change.

A change reaches the engine in two steps. ``index_enqueue`` writes IndexTask rows in the
caller's transaction, so they commit or vanish with the change itself, and on commit asks
Celery to drain the queue. The task (search/tasks.py) calls ``index_queue_drain``
(search/services.py), which hands the rows to the engine. When the broker is down the rows
wait for the periodic drain (beat, every minute).
"""

import logging
from collections.abc import Iterable

from celery.exceptions import Retry
from django.db import transaction
from kombu.exceptions import KombuError

from .engines.base import SearchEngineUnavailable
from .models import IndexTask
from .registry import document_spec
from .tasks import index_queue_drain

logger = logging.getLogger(__name__)


def index_enqueue(
    *, index: str, keys: Iterable[object], action: str = IndexTask.Action.UPSERT
) -> int:
    """Queue documents to (re)index or delete; returns how many rows were written."""
    document_spec(index)  # an unknown index is a bug in the caller: fail now, not in the worker
    if action not in IndexTask.Action.values:
        raise ValueError(f"Unknown index action {action!r}")
    rows = [IndexTask(index=index, key=str(key), action=action) for key in dict.fromkeys(keys)]
    IndexTask.objects.bulk_create(rows)
    if rows:
        transaction.on_commit(_drain_request)
    return len(rows)


def _drain_request() -> None:
    try:
        index_queue_drain.delay()
    except (KombuError, OSError):
        # The rows are committed; beat's periodic drain sends them once the broker is back.
        logger.warning("Search queue: broker unavailable, indexing deferred", exc_info=True)
    except (SearchEngineUnavailable, Retry):
        # Tasks run in-process (embedded mode, tests): the engine's failure must not fail
        # the change that was just committed; the rows stay for the next drain.
        logger.warning("Search queue: engine unavailable, indexing deferred", exc_info=True)
