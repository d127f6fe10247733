import datetime
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from learning.models import ProgressEvent, StepProgress
from learning.progress.services import progress_open
from portal.registry.factories import UserFactory

from ..helpers import learning_setup, steps_by_kind

URL = "/api/v1/learning/progress"


@pytest.fixture
def steps(tree):
    return steps_by_kind(learning_setup(tree.township_a).track)


def logged_in(member, client=None) -> Client:
    """A client logged in as the member, who gets an account if they have none."""
    if member.user_id is None:
        member.user = UserFactory()
        member.save()
    client = client or Client()
    client.force_login(member.user)
    return client


@pytest.fixture
def member_client(members):
    return logged_in(members.a1)


def opened_a_minute_ago(member, step):
    minute_ago = timezone.now() - datetime.timedelta(seconds=60)
    return progress_open(member=member, step=step, at=minute_ago)


def segments_event(step, *segments, **fields) -> dict:
    fields.setdefault("position", segments[-1][1])
    return {
        "id": str(uuid.uuid4()),
        "step": step.pk,
        "kind": "segments",
        "segments": [list(s) for s in segments],
        **fields,
    }


def post(client, events, **extra):
    return client.post(URL, {"events": events}, content_type="application/json", **extra)


def test_a_batch_gets_a_result_per_event_and_the_state_of_each_step(steps, members, member_client):
    opened_a_minute_ago(members.a1, steps.lecture)
    played = segments_event(steps.lecture, (0, 20))
    events = [played, played, {**segments_event(steps.lecture, (20, 30)), "rate": -1}]
    response = post(member_client, events)
    assert response.status_code == 200
    body = response.json()
    assert [r["outcome"] for r in body["results"]] == ["accepted", "duplicate", "refused"]
    assert all(r["settled"] for r in body["results"])
    assert body["results"][0]["id"] == played["id"]
    assert "rate" in body["results"][2]["detail"]
    [state] = body["steps"]
    assert state == {
        "step": steps.lecture.pk,
        "seconds_credited": 20,
        "required_seconds": 120,
        "coverage": round(20 / 120, 3),
        "pending_seconds": 0.0,
        "position": 20.0,
        "completed": False,
        "track_completed": False,
    }


def test_sending_the_same_batch_again_changes_nothing(steps, members, member_client):
    opened_a_minute_ago(members.a1, steps.material)
    beat = {"id": str(uuid.uuid4()), "step": steps.material.pk, "kind": "heartbeat", "seconds": 15}
    post(member_client, [beat])
    again = post(member_client, [beat]).json()
    assert again["results"][0]["outcome"] == "duplicate"
    assert again["steps"][0]["seconds_credited"] == 15
    assert ProgressEvent.objects.count() == 1


def test_anonymous_visitors_and_users_without_a_member_record_get_403(steps, members):
    event = segments_event(steps.lecture, (0, 10))
    assert post(Client(), [event]).status_code == 403
    staff = Client()
    staff.force_login(UserFactory())
    assert post(staff, [event]).status_code == 403
    assert not ProgressEvent.objects.exists()


def test_the_csrf_token_is_required(steps, members):
    """A session alone is not enough: a page on another site could post with it."""
    client = logged_in(members.a1, Client(enforce_csrf_checks=True))
    event = segments_event(steps.lecture, (0, 10))
    assert post(client, [event]).status_code == 403
    token = "k" * 32  # what the page's cookie holds; the header must repeat it
    client.cookies["csrftoken"] = token
    assert post(client, [event], HTTP_X_CSRFTOKEN=token).status_code == 200


@pytest.mark.parametrize(
    ("events", "path"),
    [
        ([{"step": 1, "kind": "heartbeat", "seconds": 1}], ("events", "0", "id")),
        ([{"id": "x", "step": 1, "kind": "heartbeat"}], ("events", "0", "id")),
        ([{"id": str(uuid.uuid4()), "step": 1, "kind": "skip"}], ("events", "0", "kind")),
        ([{"id": str(uuid.uuid4()), "kind": "heartbeat"}], ("events", "0", "step")),
        (
            [{"id": str(uuid.uuid4()), "step": 1, "kind": "segments", "segments": [["a", 1]]}],
            ("events", "0", "segments"),
        ),
        ([], ("events",)),
    ],
)
def test_malformed_batches_are_refused_naming_the_field(member_client, events, path):
    response = post(member_client, events)
    assert response.status_code == 400
    errors = response.json()
    for key in path:  # the failing event by its index, then the field
        errors = errors[key]
    assert errors
    assert not ProgressEvent.objects.exists()


def test_more_than_100_events_are_refused(steps, member_client):
    events = [segments_event(steps.lecture, (0, 1)) for _ in range(101)]
    response = post(member_client, events)
    assert response.status_code == 400 and "events" in response.json()


def test_the_schema_documents_the_endpoint(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/learning/progress"]["post"]
    request_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert request_ref.endswith("/ProgressBatch")
    assert "StepState" in schema["components"]["schemas"]
    event = schema["components"]["schemas"]["Event"]
    assert {"id", "step", "kind"} <= set(event["required"])


def test_events_for_a_track_of_another_organisation_are_refused(steps, members):
    """Township B's member is not assigned the track: refused, nothing opened."""
    body = post(logged_in(members.b1), [segments_event(steps.lecture, (0, 10))]).json()
    assert body["results"][0]["outcome"] == "refused"
    assert body["steps"] == []
    assert not StepProgress.objects.exists()


def test_the_schema_describes_only_our_own_api(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["paths"]
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


@pytest.mark.parametrize(
    ("event", "field"),
    [
        ('"kind": "heartbeat", "seconds": 1' + "0" * 400, "seconds"),
        ('"kind": "segments", "segments": [[0, 1' + "0" * 400 + "]]", "segments"),
        ('"kind": "position", "position": 1' + "0" * 400, "position"),
        ('"kind": "segments", "segments": [[0, 5]], "rate": 1e400', "rate"),
        ('"kind": "position", "position": -1e400', "position"),
    ],
)
def test_numbers_too_large_for_a_float_get_400_naming_the_field(member_client, event, field):
    """An integer beyond a float's range, or one that parses as infinity, is a 400 with a
    Chinese message naming the field, not a 500."""
    body = '{"events": [{"id": "' + str(uuid.uuid4()) + '", "step": 1, ' + event + "}]}"
    response = member_client.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    [message] = response.json()["events"]["0"][field]
    assert message.startswith(f"字段“{field}”")
    assert not ProgressEvent.objects.exists()


def test_a_step_number_beyond_the_database_range_gets_400(member_client):
    event = {"id": str(uuid.uuid4()), "step": 2**63, "kind": "position", "position": 1}
    response = post(member_client, [event])
    assert response.status_code == 400 and "step" in response.json()["events"]["0"]


def test_one_event_costs_a_fixed_number_of_queries(
    steps, members, member_client, django_assert_num_queries
):
    """A phone sends one every 15 s while a video plays. On PostgreSQL: the session, the user
    with its member's keys, the clock and the progress row locked with the ids already
    received, one statement for every write, and the test transaction's savepoint and
    release. SQLite locks the clock and the progress row, reads the ids and writes the clock,
    the event and the progress row each on its own."""
    opened_a_minute_ago(members.a1, steps.lecture)
    post(member_client, [segments_event(steps.lecture, (0, 5))])  # step facts into the cache
    expected = 6 if connection.vendor == "postgresql" else 10
    if settings.SESSION_ENGINE.endswith("cached_db"):
        expected -= 1  # the session comes from the shared cache
    with django_assert_num_queries(expected):
        response = post(member_client, [segments_event(steps.lecture, (5, 10))])
    assert response.json()["results"][0]["outcome"] == "accepted"
