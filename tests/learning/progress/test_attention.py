"""The attention clock: one clock per member, shared by every step and tab. Each test is an
attack or an honest member's day, told as it happens; ``at(s)`` is the server's time."""

import datetime
import uuid

import pytest
from django.utils import timezone

from learning.models import (
    AttentionClock,
    ProgressEvent,
    StepProgress,
    TrackAssignment,
    TrackPage,
    TrackStep,
)
from learning.progress.services import progress_events_record, progress_open
from tests.portal.content.helpers import material, publish

from ..helpers import learning_setup, steps_by_kind

T0 = timezone.make_aware(datetime.datetime(2026, 12, 5, 9, 0))


def at(seconds: float) -> datetime.datetime:
    return T0 + datetime.timedelta(seconds=seconds)


def beat(step, seconds=15) -> dict:
    return {"id": str(uuid.uuid4()), "step": step.pk, "kind": "heartbeat", "seconds": seconds}


def play(step, start, end, rate=1) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "step": step.pk,
        "kind": "segments",
        "segments": [[start, end]],
        "position": end,
        "rate": rate,
    }


def still(step, position) -> dict:
    """What the page sends while it waits for played parts to be counted: where it stands."""
    return {"id": str(uuid.uuid4()), "step": step.pk, "kind": "position", "position": position}


def record(member, now, *events):
    return progress_events_record(member=member, events=list(events), now=now)


def progress_of(member, step) -> StepProgress:
    return StepProgress.objects.get(member=member, step=step)


def credited(member) -> int:
    return sum(
        StepProgress.objects.filter(member=member).values_list("seconds_credited", flat=True)
    )


@pytest.fixture
def six_materials(tree):
    """A track of six short materials (30 s of reading each), assigned to the township."""
    setup = learning_setup(tree.township_a)
    track = TrackPage(title="六篇短文", study_hours="1.0", points=5)
    track.steps = [
        TrackStep(
            kind=TrackStep.Kind.MATERIAL,
            page=publish(setup.section, material(f"短文{n}")),
            sort_order=n,
        )
        for n in range(6)
    ]
    publish(setup.section, track, private=True)
    TrackAssignment.objects.create(track=track, organization=tree.township_a)
    return list(track.steps.order_by("sort_order"))


@pytest.fixture
def short_lecture(tree):
    """An 8-second micro-lecture: done at 7.2 s played."""
    return steps_by_kind(learning_setup(tree.township_a, video_duration=8).track).lecture


def test_six_steps_opened_at_once_share_one_clock(six_materials, members):
    """Attack: open six 30 s materials, come back 42 s later and claim all six in one batch.
    The six share the 42 s that passed: 42 s credited in all, one step done at most."""
    for step in six_materials:
        progress_open(member=members.a1, step=step, at=T0)
    claims = [beat(step, s) for step in six_materials for s in (15, 15, 12)]
    results = record(members.a1, at(42), *claims)
    assert sum(r.seconds for r in results) == 42
    assert credited(members.a1) == 42
    done = StepProgress.objects.filter(member=members.a1, completed_at__isnull=False)
    assert done.count() <= 1


def test_two_tabs_reading_at_once_earn_the_wall_clock_time_once(six_materials, members):
    """Two visible tabs each send a 15 s heartbeat every 15 s for a minute: 60 s credited
    in all, not 120."""
    first, second = six_materials[:2]
    progress_open(member=members.a1, step=first, at=T0)
    progress_open(member=members.a1, step=second, at=T0)
    for n in range(1, 5):
        record(members.a1, at(15 * n), beat(first))
        record(members.a1, at(15 * n + 0.1), beat(second))
    assert credited(members.a1) == 60
    clock = AttentionClock.objects.get(member=members.a1)
    assert clock.spent_seconds <= clock.present_seconds


def test_a_heartbeat_sent_after_closing_the_page_earns_nothing(six_materials, members):
    """Attack: open a 30 s material, close it, send one 30 s heartbeat 31 s later. More than
    a heartbeat's interval plus slack is a hidden page: refused, the step not done."""
    step = six_materials[0]
    progress_open(member=members.a1, step=step, at=T0)
    [result] = record(members.a1, at(31), beat(step, 30))
    assert result.outcome == "refused" and "“seconds”" in result.detail
    progress = progress_of(members.a1, step)
    assert (progress.seconds_credited, progress.completed_at) == (0, None)


def test_heartbeats_after_an_absence_earn_nothing(six_materials, members):
    """Attack: open a material, go away for ten minutes, come back and send a batch of
    15 s heartbeats. The absence is longer than LEARNING_ATTENTION_GAP_SECONDS: nothing."""
    step = six_materials[0]
    progress_open(member=members.a1, step=step, at=T0)
    results = record(members.a1, at(600), *[beat(step) for _ in range(4)])
    assert [r.seconds for r in results] == [0, 0, 0, 0]
    assert progress_of(members.a1, step).completed_at is None


def test_reading_heartbeats_held_up_by_the_network_still_count(tree, members):
    """Honest: a member reads a 122 s material; from 15 s to 75 s the network stalls and four
    heartbeats arrive together. They all count, and the step completes at 135 s, as it would
    have without the stall."""
    step = steps_by_kind(learning_setup(tree.township_a).track).material
    progress_open(member=members.a1, step=step, at=T0)
    record(members.a1, at(15), beat(step))
    results = record(members.a1, at(75), *[beat(step) for _ in range(4)])
    assert [r.seconds for r in results] == [15, 15, 15, 15]
    for n in range(6, 9):
        record(members.a1, at(15 * n), beat(step))
    assert progress_of(members.a1, step).completed_at is None
    record(members.a1, at(135), beat(step))
    assert progress_of(members.a1, step).completed_at == at(135)


def test_a_stalled_first_request_loses_nothing(short_lecture, members):
    """Honest: the report of 0-2 s stalls for a minute while 2-8 s arrive on time. When it
    arrives all 8 s count and the step completes."""
    step = short_lecture
    progress_open(member=members.a1, step=step, at=T0)
    for end in (4, 6, 8):
        record(members.a1, at(end), play(step, end - 2, end))
    assert progress_of(members.a1, step).completed_at is None
    [late] = record(members.a1, at(62), play(step, 0, 2))
    assert (late.outcome, late.seconds) == ("accepted", 2)
    progress = progress_of(members.a1, step)
    assert progress.segments == [[0, 8]]
    assert progress.completed_at == at(62)


def test_segments_in_reverse_order_in_separate_requests_all_count(short_lecture, members):
    step = short_lecture
    progress_open(member=members.a1, step=step, at=T0)
    for n, start in enumerate((6, 4, 2, 0)):
        record(members.a1, at(8 + n / 10), play(step, start, start + 2))
    progress = progress_of(members.a1, step)
    assert (progress.seconds_credited, progress.segments) == (8, [[0, 8]])
    assert progress.completed_at is not None


def test_one_segment_late_by_two_seconds_still_completes(short_lecture, members):
    step = short_lecture
    progress_open(member=members.a1, step=step, at=T0)
    record(members.a1, at(2), play(step, 0, 2))
    record(members.a1, at(4), play(step, 2, 4))
    record(members.a1, at(8), play(step, 6, 8))
    record(members.a1, at(10), play(step, 4, 6))
    progress = progress_of(members.a1, step)
    assert progress.seconds_credited == 8 and progress.completed_at == at(10)


def test_a_retry_after_a_lost_answer_changes_nothing(short_lecture, members):
    """The server took the batch but the answer was lost; the client sends it again."""
    step = short_lecture
    progress_open(member=members.a1, step=step, at=T0)
    batch = [play(step, 0, 2), play(step, 2, 4)]
    record(members.a1, at(4), *batch)
    again = record(members.a1, at(9), *batch)
    assert [r.outcome for r in again] == ["duplicate", "duplicate"]
    assert progress_of(members.a1, step).seconds_credited == 4


def test_watching_offline_for_long_is_counted_as_presence_grows(tree, members):
    """Honest: a member watches a 120 s lecture on a train without network; ten minutes
    later the reports arrive together. The absence earns nothing, but what was played is
    kept and counted as the member stays on the page (a contact every 15 s), never faster
    than the time that passes; nothing is sent twice."""
    step = steps_by_kind(learning_setup(tree.township_a).track).lecture
    progress_open(member=members.a1, step=step, at=T0)
    played = [play(step, 15 * n, 15 * (n + 1)) for n in range(8)]
    results = record(members.a1, at(600), *played)
    assert all(r.outcome == "accepted" and not r.settled for r in results)
    assert progress_of(members.a1, step).segments_pending == [[0, 120]]
    for n in range(1, 8):
        record(members.a1, at(600 + 15 * n), still(step, 120))
        assert progress_of(members.a1, step).seconds_credited == 15 * n
    assert progress_of(members.a1, step).completed_at is None
    record(members.a1, at(720), still(step, 120))
    progress = progress_of(members.a1, step)
    assert (progress.segments, progress.segments_pending) == ([[0, 120]], [])
    assert progress.completed_at == at(720)
    # What each event credited adds up to what the step holds.
    events = ProgressEvent.objects.filter(member=members.a1, step=step)
    assert sum(events.values_list("seconds_credited", flat=True)) == 120


def test_a_lecture_and_a_material_at_once_share_the_clock(tree, members):
    """A video plays at 1x in one tab while the material's tab sends heartbeats: a minute
    of presence pays a minute of attention in all."""
    steps = steps_by_kind(learning_setup(tree.township_a).track)
    progress_open(member=members.a1, step=steps.lecture, at=T0)
    progress_open(member=members.a1, step=steps.material, at=T0)
    for n in range(1, 5):
        record(members.a1, at(15 * n), play(steps.lecture, 15 * (n - 1), 15 * n))
        record(members.a1, at(15 * n), beat(steps.material))
    assert credited(members.a1) == 60
    assert progress_of(members.a1, steps.lecture).segments_pending == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "heartbeat", "seconds": 10**400}, "seconds"),
        ({"kind": "segments", "segments": [[0, 10**400]]}, "segments"),
        ({"kind": "segments", "segments": [[0, 5]], "position": 10**400}, "position"),
        ({"kind": "segments", "segments": [[0, 5]], "rate": 10**400}, "rate"),
        ({"kind": "position", "position": float("inf")}, "position"),
    ],
)
def test_numbers_too_large_for_a_float_are_refused_naming_the_field(tree, members, fields, field):
    """Whoever calls the service, not only the API: refused, nothing credited, no error."""
    steps = steps_by_kind(learning_setup(tree.township_a).track)
    step = steps.material if fields["kind"] == "heartbeat" else steps.lecture
    progress_open(member=members.a1, step=step, at=T0)
    [result] = record(members.a1, at(30), {"id": str(uuid.uuid4()), "step": step.pk, **fields})
    assert result.outcome == "refused" and f"“{field}”" in result.detail
    assert progress_of(members.a1, step).seconds_credited == 0
