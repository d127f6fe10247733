"""1,000 progress events for one member, duplicated and racing from several threads, on real
PostgreSQL: one completion of each step, one track completion, one track credit.

Transactional on purpose: each thread posts through its own database connection, so the
row locks, the unique constraints and READ COMMITTED behave as they do under gunicorn.
SQLite serialises every writer, so the race cannot happen there and the test is skipped.
"""

import datetime
import queue
import random
import threading
import uuid
from collections import Counter

import pytest
from django.db import connection, transaction
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from learning.models import CreditEntry, ProgressEvent, StepProgress, TrackCompletion
from learning.progress import services as completion
from learning.progress.services import attention_touch, progress_open
from portal.registry.factories import UserFactory

from ..helpers import learning_setup, steps_by_kind

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
BATCH = 20
URL = "/api/v1/learning/progress"


@pytest.fixture
def race(tree, members, monkeypatch):
    """The member has done the quiz and opened the material and the lecture an hour ago,
    and has been on their study pages since (a contact a minute): whichever of the two
    completes last completes the track."""
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks")
    steps = steps_by_kind(learning_setup(tree.township_a).track)
    member = members.a1
    member.user = UserFactory()
    member.save()
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    with transaction.atomic():
        quiz = progress_open(member=member, step=steps.quiz, at=hour_ago)
        completion.step_complete(progress=quiz, at=hour_ago)
    for step in (steps.material, steps.lecture):
        progress_open(member=member, step=step, at=hour_ago)
    for minute in range(1, 61):
        attention_touch(member_id=member.pk, now=hour_ago + datetime.timedelta(minutes=minute))
    certificates = []
    monkeypatch.setattr(completion, "_certificate_enqueue", certificates.append)
    return member, steps, certificates


def events_for(steps) -> list[dict]:
    """500 events, each sent twice, shuffled: watching the whole lecture, or 15 s of reading
    the material; any lecture event, or nine heartbeats, complete a step."""
    unique = []
    for n in range(250):
        unique.append(
            {
                "id": str(uuid.uuid4()),
                "step": steps.lecture.pk,
                "kind": "segments",
                "segments": [[0, 60 + n * 0.2], [60, 120]],
                "position": 120,
                "rate": 1,
            }
        )
        unique.append(
            {
                "id": str(uuid.uuid4()),
                "step": steps.material.pk,
                "kind": "heartbeat",
                "seconds": 15,
            }
        )
    events = unique * 2
    random.Random(4).shuffle(events)
    return events


def post_from_threads(user, events: list[dict]) -> list:
    batches: queue.Queue = queue.Queue()
    for start in range(0, len(events), BATCH):
        batches.put(events[start : start + BATCH])
    responses, errors = [], []
    ready = threading.Barrier(THREADS)

    def worker():
        client = Client()
        try:
            client.force_login(user)
            ready.wait()
            while True:
                try:
                    batch = batches.get_nowait()
                except queue.Empty:
                    return
                response = client.post(URL, {"events": batch}, content_type="application/json")
                responses.append(response)
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return responses


def test_duplicated_racing_events_complete_and_credit_once(race):
    member, steps, certificates = race
    events = events_for(steps)
    assert len(events) == 1000

    responses = post_from_threads(member.user, events)

    assert [r.status_code for r in responses] == [200] * 50
    outcomes = Counter(result["outcome"] for r in responses for result in r.json()["results"])
    assert outcomes == {"accepted": 500, "duplicate": 500}
    assert ProgressEvent.objects.filter(member=member).count() == 500
    for step in (steps.material, steps.lecture):
        assert StepProgress.objects.get(member=member, step=step).completed_at is not None
        assert CreditEntry.objects.filter(member=member, source_key=f"step:{step.pk}").count() == 1
    assert TrackCompletion.objects.filter(member=member).count() == 1
    assert CreditEntry.objects.filter(member=member, source=CreditEntry.Source.TRACK).count() == 1
    assert len(certificates) == 1
    lecture = StepProgress.objects.get(member=member, step=steps.lecture)
    assert lecture.segments == [[0, 120]] and lecture.seconds_credited == 120
    # No update was lost: what the events were credited adds up to what each step holds.
    for step in (steps.material, steps.lecture):
        progress = StepProgress.objects.get(member=member, step=step)
        credited = ProgressEvent.objects.filter(member=member, step=step).aggregate(
            Sum("seconds_credited")
        )
        assert credited["seconds_credited__sum"] == progress.seconds_credited


def test_a_twin_stored_while_the_batch_waited_for_the_clock_is_a_duplicate(race):
    """The batch's one statement locks the clock and reads the ids already received with the
    snapshot from before its wait; the twin that committed meanwhile breaks the unique
    constraint, and the batch is run again with the ids read after the lock: "duplicate",
    one row, credited once."""
    member, steps, _certificates = race
    event = {
        "id": str(uuid.uuid4()),
        "step": steps.lecture.pk,
        "kind": "segments",
        "segments": [[0, 30]],
        "position": 30,
        "rate": 1,
    }
    recorded, release, outcomes, errors = threading.Event(), threading.Event(), {}, []

    def first():  # holds the clock until released, its event stored
        try:
            with transaction.atomic():
                outcomes["first"] = completion.progress_events_record(member=member, events=[event])
                recorded.set()
                release.wait(10)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            recorded.set()
            connection.close()

    def twin():
        try:
            outcomes["twin"] = completion.progress_events_record(member=member, events=[event])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=twin)]
    threads[0].start()
    recorded.wait(10)
    threads[1].start()
    waiting = (
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    for _ in range(200):  # until the twin waits for the clock
        with connection.cursor() as cursor:
            cursor.execute(waiting)
            if cursor.fetchone()[0]:
                break
        threading.Event().wait(0.05)
    else:
        pytest.fail("the twin never waited for the clock")
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert outcomes["first"][0].outcome == "accepted"
    assert outcomes["twin"][0].outcome == "duplicate"
    assert ProgressEvent.objects.filter(member=member).count() == 1
    lecture = StepProgress.objects.get(member=member, step=steps.lecture)
    assert lecture.seconds_credited == outcomes["first"][0].seconds == 30
