"""The member's learning pages keep what they show under per-member versions
(learning/versions.py): every change to what a page shows appears at once, and no member is
ever shown another's page."""

import datetime
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import CreditEntry, TrackAssignment
from learning.progress.services import progress_events_record, progress_open
from portal.models import Video

from .quiz_helpers import complete_step, member_login, ordered_setup, track_complete


@pytest.fixture
def setup(tree):
    return ordered_setup(tree.township_a)


def _state(html: str, step) -> str:
    return re.search(rf'id="step-{step.pk}" data-state="(\w+)"', html).group(1)


def _percent(html: str, step) -> str:
    item = re.search(rf'id="step-{step.pk}".*?</li>', html, re.S).group(0)
    return re.search(r'class="step-state">\s*(.*?)\s*</span>', item, re.S).group(1)


def test_progress_recorded_in_plain_sql_shows_on_the_track_page_at_once(
    client, setup, members, django_capture_on_commit_callbacks
):
    """The progress API writes without signals; the track page must not keep the old state
    once the batch has committed (the API's own transaction)."""
    material = setup.steps.material
    member_login(client, members.a1)
    assert _state(client.get(setup.track.url).content.decode(), material) == "todo"
    opened = timezone.now() - datetime.timedelta(seconds=40)
    progress_open(member=members.a1, step=material, at=opened)
    html = client.get(setup.track.url).content.decode()
    assert _state(html, material) == "doing"
    before = _percent(html, material)
    beat = {"id": str(uuid.uuid4()), "step": material.pk, "kind": "heartbeat", "seconds": 15}
    with django_capture_on_commit_callbacks(execute=True):
        [result] = progress_events_record(
            member=members.a1, events=[beat], now=opened + datetime.timedelta(seconds=15)
        )
    assert result.seconds > 0, result
    after = _percent(client.get(setup.track.url).content.decode(), material)
    assert after != before and after.endswith("%")


def test_a_step_done_and_a_track_completed_show_at_once(client, setup, members):
    member_login(client, members.a1)
    assert 'id="track-done"' not in client.get(setup.track.url).content.decode()
    complete_step(members.a1, setup.steps.material)
    html = client.get(setup.track.url).content.decode()
    assert _state(html, setup.steps.material) == "done"
    track_complete(members.a1, setup)
    assert 'id="track-done"' in client.get(setup.track.url).content.decode()
    record = client.get(reverse("learning:record")).content.decode()
    assert 'data-completion="' in record and setup.track.title in record


def test_no_member_is_shown_another_members_page(client, setup, members):
    complete_step(members.a1, setup.steps.material)
    member_login(client, members.a1)
    assert _state(client.get(setup.track.url).content.decode(), setup.steps.material) == "done"
    client.logout()
    member_login(client, members.a2)
    html = client.get(setup.track.url).content.decode()
    assert _state(html, setup.steps.material) == "todo"


def test_credit_shows_on_my_record_at_once(client, setup, members):
    member_login(client, members.a1)
    html = client.get(reverse("learning:record")).content.decode()
    assert re.search(r'id="hours-total">0<', html)
    CreditEntry.objects.create(
        member=members.a1,
        source=CreditEntry.Source.CORRECTION,
        source_key=f"test-{uuid.uuid4()}",
        occurred_on=timezone.localdate(),
        hours="1.5",
        points=7,
    )
    html = client.get(reverse("learning:record")).content.decode()
    assert re.search(r'id="hours-total">1.5<', html)
    assert re.search(r'id="points-total">7<', html)


def test_an_assignment_taken_away_closes_the_steps_and_the_record_at_once(client, setup, members):
    member_login(client, members.a1)
    step_url = setup.steps.material.get_url()
    assert client.get(step_url).status_code == 200
    assert (
        f'data-track="{setup.track.pk}"' in client.get(reverse("learning:record")).content.decode()
    )
    TrackAssignment.objects.filter(track=setup.track).delete()
    assert client.get(step_url).status_code == 404
    assert client.get(setup.steps.quiz.get_url()).status_code == 404
    record = client.get(reverse("learning:record")).content.decode()
    assert f'data-track="{setup.track.pk}"' not in record


def test_a_member_moved_to_another_organisation_loses_its_tracks_at_once(
    client, setup, members, tree
):
    member_login(client, members.a1)
    assert client.get(setup.steps.material.get_url()).status_code == 200
    members.a1.origin = tree.village_b1
    members.a1.save()
    assert client.get(setup.steps.material.get_url()).status_code == 404


def test_a_passed_quiz_shows_on_its_page_at_once(client, setup, members):
    member_login(client, members.a1)
    quiz_url = setup.steps.quiz.get_url()
    assert 'id="quiz-start"' in client.get(quiz_url).content.decode()
    track_complete(members.a1, setup)
    html = client.get(quiz_url).content.decode()
    assert 'id="step-done"' in html and 'id="quiz-start"' not in html


def test_a_phone_rendition_made_later_shows_on_the_lecture_step(client, setup, members):
    member_login(client, members.a1)
    url = setup.steps.lecture.get_url()
    assert "data-phone" not in client.get(url).content.decode()
    video = Video.objects.get(pk=setup.video.pk)
    video.phone_file.name = "videos/phone/test-360p.mp4"
    video.save(update_fields=["phone_file"])
    assert "data-phone" in client.get(url).content.decode()
