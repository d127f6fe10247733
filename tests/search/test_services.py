"""search/services.py: draining the durable indexing queue, and rebuilds.

The queued rows leave only once the engine accepted them, so an engine that is down loses
nothing."""

import pytest
from django.core.management import call_command

from search import queue, registry, services
from search.engines.base import SearchEngineUnavailable
from search.engines.database import DatabaseEngine
from search.models import IndexEntry, IndexTask
from search.registry import SearchDocument, register, unregister
from search.selectors import document_search

from .conftest import PEOPLE
from .helpers import EngineDown

pytestmark = pytest.mark.django_db


def test_engine_down_keeps_rows_and_counts_attempts(people):
    """A refused batch stays queued with its error; the next drain that succeeds empties it."""
    queue.index_enqueue(index="people", keys=["1", "2"])
    with pytest.raises(SearchEngineUnavailable):
        services.index_queue_drain(engine=EngineDown())
    rows = list(IndexTask.objects.all())
    assert [row.attempts for row in rows] == [1, 1]
    assert "connection refused" in rows[0].last_error

    assert services.index_queue_drain() == 2
    assert IndexTask.objects.count() == 0
    assert document_search(index="people", text="党章").keys == ["1"]


def test_latest_action_wins_and_vanished_documents_are_deleted(people):
    """Deleting after indexing deletes; a key the loader no longer yields is removed."""
    queue.index_enqueue(index="people", keys=["1", "2", "99"])
    services.index_queue_drain()
    queue.index_enqueue(index="people", keys=["1"], action=IndexTask.Action.DELETE)
    services.index_queue_drain()
    assert sorted(IndexEntry.objects.values_list("key", flat=True)) == ["2"]


def test_reindex_command_shows_progress(people, capsys):
    """search_reindex empties the index and fills it in batches, printing counts and percent."""
    IndexEntry.objects.create(index="people", key="stale", tokens_low="x")
    call_command("search_reindex", "--index", "people", "--batch-size", "2")
    out = capsys.readouterr().out
    assert "people: 2/5 (40%)" in out
    assert "people: 5/5 (100%)" in out
    assert IndexEntry.objects.filter(index="people").count() == len(PEOPLE)
    assert not IndexEntry.objects.filter(key="stale").exists()


# --- Rebuilds that analyse in worker processes -------------------------------------------

FRAGMENTS = [
    "在深圳从事农村电商，开网店销售家乡土特产",
    "持有二级建造师证书，熟练使用CAD和Excel",
    "签订劳动合同三年，任生产线班组长",
    "参加过村级后备干部培训，考核合格",
    "配合同事完成台账整理，熟悉一村一表",
    "學習黨章，發展農村電商",
]
NAMES = ["张伟", "单雄", "欧阳娜娜", "阿卜杜·热合曼", "Tom", "曾国藩", "李明"]
# More documents than one batch, with a last batch that is not full.
MANY = {
    str(number): {
        "bio": "\n".join(FRAGMENTS[(number + step) % len(FRAGMENTS)] for step in range(3)),
        "name": NAMES[number % len(NAMES)],
        "town": "甲镇" if number % 3 else "乙乡",
        "age": 20 + number,
    }
    for number in range(1, 24)
}


class RecordingEngine(DatabaseEngine):
    """The database engine, remembering each batch it was given."""

    def __init__(self):
        self.batches = []

    def index(self, spec, documents):
        self.batches.append(list(documents))
        super().index(spec, documents)


@pytest.fixture
def many():
    """23 documents registered as the index "many"."""
    spec = register(
        SearchDocument(
            name="many",
            load=lambda keys: ((key, MANY[key]) for key in (MANY if keys is None else keys)),
            text_fields=("bio",),
            name_fields=("name",),
            filter_fields={"town": "keyword", "age": "integer"},
            count=lambda: len(MANY),
        )
    )
    yield spec
    unregister("many")


def rebuild(spec, workers, **options):
    engine, shown = RecordingEngine(), []
    done = services.index_rebuild(
        spec=spec,
        batch_size=5,
        workers=workers,
        engine=engine,
        progress=lambda done, total: shown.append((done, total)),
        **options,
    )
    entries = list(
        IndexEntry.objects.filter(index=spec.name)
        .order_by("key")
        .values_list(
            "key", "tokens_high", "tokens_middle", "tokens_low", "length", "text", "filters"
        )
    )
    return done, shown, engine.batches, entries


def test_a_rebuild_analysed_in_worker_processes_indexes_the_same(many, monkeypatch):
    """Two worker processes give the same documents, batches, progress and index entries as
    analysing in the rebuilding process."""
    started = []
    real_pool = services.ProcessPoolExecutor
    monkeypatch.setattr(
        services, "ProcessPoolExecutor", lambda **kw: started.append(kw) or real_pool(**kw)
    )
    here = rebuild(many, workers=1)
    assert started == []
    in_workers = rebuild(many, workers=2)
    assert [kw["max_workers"] for kw in started] == [2]

    assert in_workers == here
    done, shown, batches, entries = in_workers
    assert done == len(MANY)
    assert shown == [(5, 23), (10, 23), (15, 23), (20, 23), (23, 23)]
    assert [len(batch) for batch in batches] == [5, 5, 5, 5, 3]
    assert len(entries) == len(MANY)
    found = document_search(index="many", text="党章", page_size=50)
    assert sorted(found.keys) == sorted(key for key, doc in MANY.items() if "黨章" in doc["bio"])
    assert found.total > 0


def test_an_error_in_a_worker_process_reaches_the_caller(many, monkeypatch):
    """A document the analysis fails on fails the rebuild, with the worker's error."""
    analyse = registry.tokens_for_index

    def failing(text, *, names=()):
        if "台账" in text:
            raise ValueError("cannot analyse 台账")
        return analyse(text, names=names)

    monkeypatch.setattr(registry, "tokens_for_index", failing)
    with pytest.raises(ValueError, match="cannot analyse 台账"):
        rebuild(many, workers=2)


def test_a_daemonic_process_analyses_itself(many, monkeypatch):
    """A Celery worker's process is daemonic and may not start processes: it analyses the
    batches itself, with the same result."""

    class Daemon:
        daemon = True

    def refuse(**options):
        raise AssertionError("no processes may be started here")

    expected = rebuild(many, workers=1)
    monkeypatch.setattr(services.multiprocessing, "current_process", Daemon)
    monkeypatch.setattr(services, "ProcessPoolExecutor", refuse)
    assert rebuild(many, workers=2) == expected


def test_the_setting_chooses_the_worker_processes(many, monkeypatch, settings):
    """SEARCH_REINDEX_WORKERS applies when the caller does not ask for a number."""
    started = []
    real_pool = services.ProcessPoolExecutor
    monkeypatch.setattr(
        services, "ProcessPoolExecutor", lambda **kw: started.append(kw) or real_pool(**kw)
    )
    settings.SEARCH_REINDEX_WORKERS = 2
    assert rebuild(many, workers=None)[0] == len(MANY)
    settings.SEARCH_REINDEX_WORKERS = 0
    assert rebuild(many, workers=None)[0] == len(MANY)
    assert [kw["max_workers"] for kw in started] == [2]
