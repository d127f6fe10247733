"""Writes of the search app: the durable indexing queue and index rebuilds.

A change reaches the engine in two steps. ``index_enqueue`` writes IndexTask rows in the
caller's transaction, so they commit or vanish with the change itself, and on commit asks
Celery to drain the queue. ``index_queue_drain`` hands the rows to the engine and deletes
them only once the engine accepted them. When the broker is down the rows wait for the
periodic drain (beat, every minute); when the engine is down they stay, with their attempts
counted, and the next drain sends them again. Sending twice is harmless: the engines upsert.
"""

import logging
from collections.abc import Callable, Iterable, Sequence
from itertools import islice

from celery.exceptions import Retry
from django.db import transaction
from kombu.exceptions import KombuError

from .engines.base import SearchEngine, SearchEngineUnavailable
from .models import IndexTask
from .registry import SearchDocument, document_prepare, document_spec, document_specs
from .selectors import search_engine

logger = logging.getLogger(__name__)

DRAIN_BATCH = 500
ERROR_LENGTH = 1000


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
    from .tasks import index_queue_drain

    try:
        index_queue_drain.delay()
    except (KombuError, OSError):
        # The rows are committed; beat's periodic drain sends them once the broker is back.
        logger.warning("Search queue: broker unavailable, indexing deferred", exc_info=True)
    except (SearchEngineUnavailable, Retry):
        # Tasks run in-process (embedded mode, tests): the engine's failure must not fail
        # the change that was just committed; the rows stay for the next drain.
        logger.warning("Search queue: engine unavailable, indexing deferred", exc_info=True)


def index_queue_drain(*, batch_size: int = DRAIN_BATCH, engine: SearchEngine | None = None) -> int:
    """Send queued changes to the engine, a batch at a time; returns how many rows were done.

    Stops at the first batch the engine refuses (re-raising, so the task retries later)."""
    engine = engine or search_engine()
    done, last_id = 0, 0
    while True:
        batch = list(IndexTask.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return done
        last_id = batch[-1].id
        for index, tasks in _by_index(batch).items():
            done += _drain_index(engine, index, tasks)


def _by_index(batch: list[IndexTask]) -> dict[str, list[IndexTask]]:
    grouped: dict[str, list[IndexTask]] = {}
    for task in batch:
        grouped.setdefault(task.index, []).append(task)
    return grouped


def _drain_index(engine: SearchEngine, index: str, tasks: list[IndexTask]) -> int:
    # The latest row for a key decides: an upsert after a delete indexes, and vice versa.
    latest = {task.key: task.action for task in tasks}
    ids = [task.id for task in tasks]
    try:
        spec = document_spec(index)
        upserts = [key for key, action in latest.items() if action == IndexTask.Action.UPSERT]
        documents = (
            [document_prepare(spec, key, fields) for key, fields in spec.load(upserts)]
            if upserts
            else []
        )
        gone = set(upserts) - {document.key for document in documents}
        deletes = [key for key, action in latest.items() if action == IndexTask.Action.DELETE]
        if documents:
            engine.index(spec, documents)
        if deletes or gone:
            engine.delete(spec, [*deletes, *sorted(gone)])
    except Exception as error:
        _record_failure(ids, error)
        raise
    IndexTask.objects.filter(id__in=ids).delete()
    return len(ids)


def _record_failure(ids: Sequence[int], error: BaseException) -> None:
    message = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
    for task in IndexTask.objects.filter(id__in=ids):
        task.attempts += 1
        task.last_error = message
        task.save(update_fields=["attempts", "last_error"])
    logger.warning("Search queue: %d changes not accepted: %s", len(ids), message)


def index_rebuild(
    *,
    spec: SearchDocument,
    batch_size: int = DRAIN_BATCH,
    progress: Callable[[int, int | None], None] | None = None,
    engine: SearchEngine | None = None,
) -> int:
    """Empty the spec's index and fill it from its loader in batches; returns the count."""
    engine = engine or search_engine()
    total = spec.count() if spec.count else None
    engine.rebuild(spec)
    done = 0
    rows = iter(spec.load(None))
    while batch := list(islice(rows, batch_size)):
        engine.index(spec, [document_prepare(spec, key, fields) for key, fields in batch])
        done += len(batch)
        if progress:
            progress(done, total)
    return done


def index_rebuild_all(*, batch_size: int = DRAIN_BATCH) -> dict[str, int]:
    return {spec.name: index_rebuild(spec=spec, batch_size=batch_size) for spec in document_specs()}
