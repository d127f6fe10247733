"""The step facts the progress API keeps between heartbeats are forgotten the moment the
track changes: each test is the attack of issue 12 (open a step, have the track taken
away, keep posting reading time) and the next event must be refused at once, not up to a
minute later. Each change runs its commit hooks, as a real request's commit does."""

import datetime
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from learning.models import TrackAssignment, TrackPage, TrackStep
from learning.progress.selectors import step_facts
from learning.progress.services import progress_open
from learning.tracks.services import red_package_tracks_assign

from ..helpers import learning_setup
from ..quiz_helpers import member_login

API = "/api/v1/learning/progress"


@pytest.fixture
def setup(tree):
    return learning_setup(tree.township_a)


@pytest.fixture
def member_client(members):
    client = Client()
    member_login(client, members.a1)
    return client


def _beat(client, step) -> str:
    event = {"id": str(uuid.uuid4()), "step": step.pk, "kind": "heartbeat", "seconds": 15}
    response = client.post(API, {"events": [event]}, content_type="application/json")
    assert response.status_code == 200
    return response.json()["results"][0]["outcome"]


@pytest.fixture
def reading(setup, members, member_client):
    """The member opened the material ten minutes ago and a heartbeat was credited: the
    step's facts are in the cache now."""
    ten_minutes_ago = timezone.now() - datetime.timedelta(minutes=10)
    progress_open(member=members.a1, step=setup.steps.material, at=ten_minutes_ago)
    assert _beat(member_client, setup.steps.material) == "accepted"
    return setup.steps.material


def test_unpublishing_the_track_refuses_the_next_event(
    setup, reading, member_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        setup.track.unpublish()
    assert _beat(member_client, reading) == "refused"


def test_unassigning_the_track_refuses_the_next_event(
    setup, reading, member_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        TrackAssignment.objects.get(track=setup.track).delete()
    assert _beat(member_client, reading) == "refused"


def test_moving_the_assignment_elsewhere_refuses_the_next_event(
    setup, tree, reading, member_client, django_capture_on_commit_callbacks
):
    assignment = TrackAssignment.objects.get(track=setup.track)
    with django_capture_on_commit_callbacks(execute=True):
        assignment.organization = tree.village_a2
        assignment.save()
    assert _beat(member_client, reading) == "refused"


def test_removing_the_step_from_the_track_refuses_the_next_event(
    setup, reading, member_client, django_capture_on_commit_callbacks
):
    track = TrackPage.objects.get(pk=setup.track.pk)
    track.steps = [step for step in track.steps.all() if step.pk != reading.pk]
    with django_capture_on_commit_callbacks(execute=True):
        track.save_revision().publish()
    assert not TrackStep.objects.filter(pk=reading.pk).exists()
    assert _beat(member_client, reading) == "refused"


def test_ticking_the_track_as_a_template_refuses_the_next_event(
    setup, reading, member_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        setup.track.is_template = True
        setup.track.save_revision().publish()
    assert _beat(member_client, reading) == "refused"


def test_deleting_the_track_refuses_the_next_event(
    setup, reading, member_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        TrackPage.objects.get(pk=setup.track.pk).delete()
    assert _beat(member_client, reading) == "refused"


def test_a_track_assigned_after_a_refusal_takes_events_at_once(
    setup, members, member_client, django_capture_on_commit_callbacks
):
    """The other way round: a member refused a step (not theirs yet) is not kept waiting
    once the red package they received assigns its track (the setup's track reads it)."""
    TrackAssignment.objects.filter(track=setup.track).delete()
    step = setup.steps.material
    assert _beat(member_client, step) == "refused"
    with django_capture_on_commit_callbacks(execute=True):
        assert red_package_tracks_assign(member_id=members.a1.pk, package_id=setup.package.pk)
    assert step_facts(members.a1, step.pk)["assigned"] is True


def test_without_a_change_the_facts_are_kept(setup, reading, members, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert step_facts(members.a1, reading.pk)["assigned"] is True
