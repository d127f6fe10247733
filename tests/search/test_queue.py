"""search/queue.py: the durable indexing queue's entrance.

Changes are queued as rows in the caller's transaction and drained on commit, so a broker
or an engine that is down loses nothing."""

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerDown

from search import queue, services, tasks
from search.models import IndexTask
from search.selectors import document_search

from .helpers import EngineDown

pytestmark = pytest.mark.django_db


def test_enqueue_then_drain_indexes_and_empties_the_queue(
    people, django_capture_on_commit_callbacks
):
    """On commit the drain task runs and the documents become searchable."""
    with django_capture_on_commit_callbacks(execute=True):
        queue.index_enqueue(index="people", keys=["1", "2"])
    assert IndexTask.objects.count() == 0
    assert document_search(index="people", text="养殖").keys == ["2"]


def test_engine_down_does_not_fail_the_committed_change(
    people, monkeypatch, django_capture_on_commit_callbacks
):
    """With tasks running in-process, an engine failure leaves the rows for the next drain."""
    monkeypatch.setattr(services, "search_engine", EngineDown)
    with django_capture_on_commit_callbacks(execute=True):
        queue.index_enqueue(index="people", keys=["3"])
    assert IndexTask.objects.get().attempts >= 1


def test_broker_down_keeps_rows(people, monkeypatch, django_capture_on_commit_callbacks):
    """When the task cannot be sent, the committed rows wait for beat's periodic drain."""

    def refuse():
        raise BrokerDown("broker unreachable")

    monkeypatch.setattr(tasks.index_queue_drain, "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        queue.index_enqueue(index="people", keys=["1", "4"])
    assert IndexTask.objects.count() == 2
    monkeypatch.undo()
    assert tasks.index_queue_drain.delay().get() == 2
    assert IndexTask.objects.count() == 0


def test_rolled_back_change_queues_nothing(people):
    """The rows belong to the caller's transaction: a rollback takes them back too."""
    with pytest.raises(RuntimeError), transaction.atomic():
        queue.index_enqueue(index="people", keys=["1"])
        raise RuntimeError
    assert IndexTask.objects.count() == 0


def test_unknown_index_is_refused(people):
    with pytest.raises(LookupError):
        queue.index_enqueue(index="nobody", keys=["1"])
