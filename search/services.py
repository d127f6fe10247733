"""The work of the search app: draining the durable indexing queue, and index rebuilds.

``index_queue_drain`` hands the rows search/queue.py wrote to the engine and deletes them only
once the engine accepted them; when the engine is down they stay, with their attempts counted,
and the next drain sends them again. Sending twice is harmless: the engines upsert.
"""

import contextlib
import logging
import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from django.conf import settings

from .analysis import tokens_for_index
from .engines.base import SearchEngine
from .models import IndexTask
from .registry import (
    Fields,
    PreparedDocument,
    SearchDocument,
    Source,
    document_analyse,
    document_filters,
    document_prepare,
    document_source,
    document_spec,
    document_specs,
    document_text,
)
from .selectors import search_engine

logger = logging.getLogger(__name__)

Row = tuple[str, Fields]

DRAIN_BATCH = 500
ERROR_LENGTH = 1000


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
    workers: int | None = None,
) -> int:
    """Empty the spec's index and fill it from its loader in batches; returns the count.

    With ``workers`` (settings.SEARCH_REINDEX_WORKERS unless given) of 2 or more, that many
    processes analyse the batches while this one loads the next and writes the analysed ones;
    0 or 1 analyses here. Only this process reads rows and talks to the engine."""
    engine = engine or search_engine()
    total = spec.count() if spec.count else None
    engine.rebuild(spec)
    done = 0
    batches = _batches(spec.load(None), batch_size)
    workers = _analysis_workers(workers, total, batch_size)
    with _analysis_pool(workers) as pool:
        if pool is None:
            prepared = _prepared_here(spec, batches)
        else:
            prepared = _prepared_in(pool, spec, batches, depth=2 * workers)
        for documents in prepared:
            engine.index(spec, documents)
            done += len(documents)
            if progress:
                progress(done, total)
    engine.rebuilt(spec)
    return done


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


def _prepared_here(
    spec: SearchDocument, batches: Iterable[list[Row]]
) -> Iterator[list[PreparedDocument]]:
    for batch in batches:
        yield [document_prepare(spec, key, fields) for key, fields in batch]


def _analysis_workers(requested: int | None, total: int | None, batch_size: int) -> int:
    """How many processes to analyse in: 0 for this process."""
    workers = settings.SEARCH_REINDEX_WORKERS if requested is None else requested
    if workers < 2 or (total is not None and total <= batch_size):
        return 0  # one batch does not pay for starting processes
    if multiprocessing.current_process().daemon:
        # A Celery worker's process is daemonic, and those may not start processes.
        logger.info("Search rebuild: analysing in this daemonic process")
        return 0
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return workers


@contextlib.contextmanager
def _analysis_pool(workers: int) -> Iterator[ProcessPoolExecutor | None]:
    if not workers:
        yield None
        return
    # Loaded before forking, the dictionaries are the workers' without loading them again.
    tokens_for_index("", names=["预热"])
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_analysis_worker_start,
    )
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _analysis_worker_start() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the pool, the workers wait.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _analyse(sources: list[Source]) -> list[tuple[tuple[str, ...], ...]]:
    """In a worker: tokens only. A worker never opens the database, nor uses the connection
    it inherited from the parent."""
    return [document_analyse(source) for source in sources]


def _prepared_in(
    pool: ProcessPoolExecutor,
    spec: SearchDocument,
    batches: Iterable[list[Row]],
    *,
    depth: int,
) -> Iterator[list[PreparedDocument]]:
    """The batches prepared, in load order; up to ``depth`` are with the workers at once."""
    pending: deque = deque()
    for batch in batches:
        sources = [document_source(spec, fields) for _key, fields in batch]
        pending.append((batch, pool.submit(_analyse, sources)))
        if len(pending) >= depth:
            yield _documents(spec, *pending.popleft())
    while pending:
        yield _documents(spec, *pending.popleft())


def _documents(
    spec: SearchDocument,
    batch: list[Row],
    analysed: Future,
) -> list[PreparedDocument]:
    return [
        PreparedDocument(
            key=str(key),
            weighted_tokens=weighted_tokens,
            text=document_text(spec, fields),
            filters=document_filters(spec, fields),
        )
        for (key, fields), weighted_tokens in zip(batch, analysed.result(), strict=True)
    ]


def index_rebuild_all(*, batch_size: int = DRAIN_BATCH) -> dict[str, int]:
    return {spec.name: index_rebuild(spec=spec, batch_size=batch_size) for spec in document_specs()}
