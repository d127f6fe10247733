"""search/services.py: the durable indexing queue and rebuilds.

Changes are queued as rows in the caller's transaction; the rows leave only once the engine
accepted them, so an engine or broker that is down loses nothing."""

import pytest
from django.core.management import call_command
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerDown

from search import services, tasks
from search.engines.base import SearchEngineUnavailable
from search.engines.database import DatabaseEngine
from search.models import IndexEntry, IndexTask
from search.selectors import document_search

from .conftest import PEOPLE

pytestmark = pytest.mark.django_db


class EngineDown(DatabaseEngine):
    def index(self, spec, documents):
        raise SearchEngineUnavailable("connection refused")


def test_enqueue_then_drain_indexes_and_empties_the_queue(
    people, django_capture_on_commit_callbacks
):
    """On commit the drain task runs and the documents become searchable."""
    with django_capture_on_commit_callbacks(execute=True):
        services.index_enqueue(index="people", keys=["1", "2"])
    assert IndexTask.objects.count() == 0
    assert document_search(index="people", text="养殖").keys == ["2"]


def test_engine_down_keeps_rows_and_counts_attempts(people):
    """A refused batch stays queued with its error; the next drain that succeeds empties it."""
    services.index_enqueue(index="people", keys=["1", "2"])
    with pytest.raises(SearchEngineUnavailable):
        services.index_queue_drain(engine=EngineDown())
    rows = list(IndexTask.objects.all())
    assert [row.attempts for row in rows] == [1, 1]
    assert "connection refused" in rows[0].last_error

    assert services.index_queue_drain() == 2
    assert IndexTask.objects.count() == 0
    assert document_search(index="people", text="党章").keys == ["1"]


def test_engine_down_does_not_fail_the_committed_change(
    people, monkeypatch, django_capture_on_commit_callbacks
):
    """With tasks running in-process, an engine failure leaves the rows for the next drain."""
    monkeypatch.setattr(services, "search_engine", EngineDown)
    with django_capture_on_commit_callbacks(execute=True):
        services.index_enqueue(index="people", keys=["3"])
    assert IndexTask.objects.get().attempts >= 1


def test_broker_down_keeps_rows(people, monkeypatch, django_capture_on_commit_callbacks):
    """When the task cannot be sent, the committed rows wait for beat's periodic drain."""

    def refuse():
        raise BrokerDown("broker unreachable")

    monkeypatch.setattr(tasks.index_queue_drain, "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        services.index_enqueue(index="people", keys=["1", "4"])
    assert IndexTask.objects.count() == 2
    monkeypatch.undo()
    assert tasks.index_queue_drain.delay().get() == 2
    assert IndexTask.objects.count() == 0


def test_rolled_back_change_queues_nothing(people):
    """The rows belong to the caller's transaction: a rollback takes them back too."""
    with pytest.raises(RuntimeError), transaction.atomic():
        services.index_enqueue(index="people", keys=["1"])
        raise RuntimeError
    assert IndexTask.objects.count() == 0


def test_latest_action_wins_and_vanished_documents_are_deleted(people):
    """Deleting after indexing deletes; a key the loader no longer yields is removed."""
    services.index_enqueue(index="people", keys=["1", "2", "99"])
    services.index_queue_drain()
    services.index_enqueue(index="people", keys=["1"], action=IndexTask.Action.DELETE)
    services.index_queue_drain()
    assert sorted(IndexEntry.objects.values_list("key", flat=True)) == ["2"]


def test_unknown_index_is_refused(people):
    with pytest.raises(LookupError):
        services.index_enqueue(index="nobody", keys=["1"])


def test_reindex_command_shows_progress(people, capsys):
    """search_reindex empties the index and fills it in batches, printing counts and percent."""
    IndexEntry.objects.create(index="people", key="stale", tokens="x")
    call_command("search_reindex", "--index", "people", "--batch-size", "2")
    out = capsys.readouterr().out
    assert "people: 2/5 (40%)" in out
    assert "people: 5/5 (100%)" in out
    assert IndexEntry.objects.filter(index="people").count() == len(PEOPLE)
    assert not IndexEntry.objects.filter(key="stale").exists()
