import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from learning.models import CreditEntry, ProgressEvent, StepProgress, TrackCompletion
from learning.progress.coverage import segments_merge
from learning.progress.selectors import progress_states
from learning.progress.services import progress_events_record, progress_open, reading_note_submit

from ..helpers import learning_setup, steps_by_kind

T0 = timezone.make_aware(datetime.datetime(2026, 11, 22, 9, 0))


def at(seconds: float) -> datetime.datetime:
    return T0 + datetime.timedelta(seconds=seconds)


def event(step, kind, **fields) -> dict:
    return {"id": str(uuid.uuid4()), "step": step.pk, "kind": kind, **fields}


def play(step, *segments, rate=1.0, position=None) -> dict:
    position = segments[-1][1] if position is None and segments else position
    return event(
        step, "segments", segments=[list(s) for s in segments], rate=rate, position=position
    )


@pytest.fixture
def setup(tree):
    setup = learning_setup(tree.township_a)
    setup.steps = steps_by_kind(setup.track)
    return setup


@pytest.fixture
def lecture(setup, members):
    progress_open(member=members.a1, step=setup.steps.lecture, at=T0)
    return setup.steps.lecture


@pytest.fixture
def material(setup, members):
    progress_open(member=members.a1, step=setup.steps.material, at=T0)
    return setup.steps.material


def record(member, now, *events):
    return progress_events_record(member=member, events=list(events), now=now)


def progress_of(member, step) -> StepProgress:
    return StepProgress.objects.get(member=member, step=step)


def test_opening_sets_the_clock_once_and_the_time_each_step_needs(setup, members):
    """The first open starts the clock; opening again later does not move it. A material
    needs its text at 400 characters a minute (800 + 10 characters: 122 s), a lecture its
    video's length."""
    first = progress_open(member=members.a1, step=setup.steps.material, at=T0)
    again = progress_open(member=members.a1, step=setup.steps.material, at=at(600))
    assert again.pk == first.pk and again.opened_at == T0
    assert first.required_seconds == 122
    lecture = progress_open(member=members.a1, step=setup.steps.lecture, at=T0)
    assert lecture.required_seconds == 120


def test_playing_the_video_through_completes_the_step_at_90_percent(lecture, members):
    """Segments reported every 15 s count as played; at 108 of 120 s the step is done."""
    for n in range(7):
        [result] = record(members.a1, at(15 * (n + 1)), play(lecture, (15 * n, 15 * (n + 1))))
        assert (result.outcome, result.seconds) == ("accepted", 15)
    assert progress_of(members.a1, lecture).completed_at is None
    record(members.a1, at(120), play(lecture, (105, 108)))
    progress = progress_of(members.a1, lecture)
    assert progress.seconds_credited == 108
    assert progress.segments == [[0, 108]]
    assert progress.completed_at == at(120)
    assert CreditEntry.objects.filter(member=members.a1, source_key=f"step:{lecture.pk}").exists()


def test_seeking_ahead_earns_only_what_was_played(lecture, members):
    """Skipping from 10 s to 100 s counts the 10 s before and what is played after; the
    skipped part never counts, so the step cannot complete."""
    record(members.a1, at(10), play(lecture, (0, 10)))
    record(members.a1, at(30), play(lecture, (100, 120)))
    progress = progress_of(members.a1, lecture)
    assert progress.segments == [[0, 10], [100, 120]]
    assert progress.seconds_credited == 30
    assert progress.completed_at is None


def test_a_jump_reported_as_one_long_segment_is_credited_only_as_the_clock_runs(lecture, members):
    """A client claiming to have played 10 s to 120 s, 15 s after its last report, earns the
    15 s that passed; the rest waits on the row, so the step cannot complete yet."""
    record(members.a1, at(10), play(lecture, (0, 10)))
    [result] = record(members.a1, at(25), play(lecture, (10, 120)))
    assert (result.seconds, result.settled) == (15, False) and result.detail
    progress = progress_of(members.a1, lecture)
    assert progress.segments == [[0, 25]]
    assert progress.segments_pending == [[25, 120]]
    assert progress.completed_at is None


def test_replaying_old_events_and_segments_adds_nothing(lecture, members):
    """The same event again is a duplicate; the same seconds under a new id earn nothing."""
    first = play(lecture, (0, 15))
    record(members.a1, at(15), first)
    [again] = record(members.a1, at(30), first)
    [replay] = record(members.a1, at(45), play(lecture, (0, 15)))
    assert again.outcome == "duplicate"
    assert (replay.outcome, replay.seconds) == ("accepted", 0)
    assert progress_of(members.a1, lecture).seconds_credited == 15
    assert ProgressEvent.objects.filter(member=members.a1).count() == 2


def test_playing_faster_than_the_cap_earns_nothing_extra(lecture, members):
    """60 s of video at 4x in 15 s earns 30 s (what 2x would give); claiming rate 1 for
    the next 60 s played in 15 s earns 15 s. The video credited never exceeds twice the
    time that passed."""
    [honest] = record(members.a1, at(15), play(lecture, (0, 60), rate=4))
    assert honest.seconds == 30
    [liar] = record(members.a1, at(30), play(lecture, (60, 120), rate=1))
    assert liar.seconds == 15
    progress = progress_of(members.a1, lecture)
    assert progress.segments == [[0, 30], [60, 75]]
    assert progress.seconds_credited <= 2 * 30


def test_claiming_more_time_than_has_passed_earns_only_what_passed(material, members):
    """A heartbeat of 10 minutes covers a hidden or sleeping page: refused, naming the field.
    Two 15 s heartbeats 20 s after opening earn the 20 s that passed; one processed at a
    server time before the last contact finds nothing left."""
    [absurd] = record(members.a1, at(20), event(material, "heartbeat", seconds=600))
    assert absurd.outcome == "refused" and "“seconds”" in absurd.detail
    beats = [event(material, "heartbeat", seconds=15) for _ in range(2)]
    results = record(members.a1, at(20), *beats)
    [earlier] = record(members.a1, at(-60), event(material, "heartbeat", seconds=15))
    assert [r.seconds for r in results] + [earlier.seconds] == [15, 5, 0]
    assert progress_of(members.a1, material).seconds_credited == 20


def test_queued_heartbeats_sent_together_share_the_time_since_the_last(material, members):
    """Four heartbeats queued while offline and sent at once after 60 s all count; a fifth
    in the same batch finds the minute used up."""
    beats = [event(material, "heartbeat", seconds=15) for _ in range(5)]
    results = record(members.a1, at(60), *beats)
    assert [r.seconds for r in results] == [15, 15, 15, 15, 0]


def test_reading_completes_after_the_required_time(material, members, setup):
    """Nine heartbeats of 15 s (135 s) complete a material that needs 122 s, not eight."""
    for n in range(1, 9):
        record(members.a1, at(15 * n), event(material, "heartbeat", seconds=15))
    assert progress_of(members.a1, material).completed_at is None
    record(members.a1, at(135), event(material, "heartbeat", seconds=15))
    progress = progress_of(members.a1, material)
    assert progress.seconds_credited == 135
    assert progress.completed_at == at(135)


def test_a_duplicate_changes_nothing_even_within_one_batch(material, members):
    beat = event(material, "heartbeat", seconds=15)
    results = record(members.a1, at(60), beat, beat)
    assert [r.outcome for r in results] == ["accepted", "duplicate"]
    assert progress_of(members.a1, material).seconds_credited == 15
    assert ProgressEvent.objects.get().seconds_credited == 15


def test_completing_the_last_step_completes_the_track_once(setup, lecture, members):
    """With the material and quiz done, the lecture completes the track; more events and a
    replayed batch credit nothing again."""
    from learning.progress.services import step_complete

    for step in (setup.steps.material, setup.steps.quiz):
        progress = progress_open(member=members.a1, step=step, at=T0)
        step_complete(progress=progress, at=T0)
    batch = [play(lecture, (0, 110))]
    record(members.a1, at(100), *batch)
    record(members.a1, at(100), *batch)
    record(members.a1, at(200), play(lecture, (110, 120)))
    assert TrackCompletion.objects.filter(member=members.a1).count() == 1
    assert CreditEntry.objects.filter(member=members.a1, source="track").count() == 1
    results = record(members.a1, at(210), play(lecture, (0, 1)))
    [state] = progress_states(member=members.a1, results=results)
    assert state["completed"] and state["track_completed"]
    assert state["coverage"] == 1.0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "segments", "segments": [[10, 5]]}, "segments"),
        ({"kind": "segments", "segments": [[5]]}, "segments"),
        ({"kind": "segments", "segments": [[-3, 5]]}, "segments"),
        ({"kind": "segments", "segments": "0-10"}, "segments"),
        ({"kind": "segments", "segments": [[0, 5]], "rate": 0}, "rate"),
        ({"kind": "segments", "segments": [[0, 5]], "position": -1}, "position"),
        ({"kind": "position", "position": float("nan")}, "position"),
        ({"kind": "heartbeat", "seconds": 15}, "kind"),
    ],
)
def test_malformed_events_are_refused_naming_the_field(lecture, members, fields, field):
    """A refused event changes nothing, says which field is wrong, and is stored, so a retry
    is a duplicate."""
    bad = {"id": str(uuid.uuid4()), "step": lecture.pk, **fields}
    [result] = record(members.a1, at(30), bad)
    assert result.outcome == "refused"
    assert f"“{field}”" in result.detail
    progress = progress_of(members.a1, lecture)
    assert (progress.seconds_credited, progress.last_event_at) == (0, None)
    [retry] = record(members.a1, at(40), bad)
    assert retry.outcome == "duplicate"


def test_steps_not_assigned_or_not_taking_events_are_refused(setup, members):
    """Township B's member has no such track; a quiz, a reading and an unknown step take no
    events. Nothing is opened or credited for them."""
    [foreign] = record(members.b1, at(30), play(setup.steps.lecture, (0, 15)))
    assert foreign.outcome == "refused" and "“step”" in foreign.detail
    for step in (setup.steps.quiz, setup.steps.reading, setup.steps.offline):
        [result] = record(members.a1, at(30), event(step, "heartbeat", seconds=15))
        assert result.outcome == "refused" and "“step”" in result.detail
    [unknown] = record(members.a1, at(30), {"id": str(uuid.uuid4()), "step": 999999, "kind": "x"})
    assert unknown.outcome == "refused"
    assert not StepProgress.objects.exists()
    assert ProgressEvent.objects.filter(outcome="refused").count() == 4


def test_events_without_an_id_are_refused(lecture, members):
    [result] = record(members.a1, at(30), {"id": "not-a-uuid", "step": lecture.pk})
    assert result.outcome == "refused" and "“id”" in result.detail


def test_the_position_is_kept_for_resuming(lecture, members):
    record(members.a1, at(5), event(lecture, "position", position=47.5))
    assert progress_of(members.a1, lecture).position == 47.5
    record(members.a1, at(10), event(lecture, "position", position=500))
    assert progress_of(members.a1, lecture).position == 120


def test_events_for_a_step_never_opened_open_it_and_earn_nothing_yet(setup, members):
    [result] = record(members.a1, at(30), play(setup.steps.lecture, (0, 15)))
    assert (result.outcome, result.seconds) == ("accepted", 0)
    assert progress_of(members.a1, setup.steps.lecture).opened_at == at(30)


def test_segments_merge_joins_overlapping_and_touching_parts():
    assert segments_merge([[20, 30], [0, 10], [10, 12], [25, 40]]) == [[0, 12], [20, 40]]


def test_a_reading_note_completes_the_reading_step(setup, members):
    note = "读了党章和二十大报告，" * 6
    progress = reading_note_submit(member=members.a1, step=setup.steps.reading, note=note)
    assert progress.completed_at is not None
    assert progress.note == note.strip()
    reading_note_submit(member=members.a1, step=setup.steps.reading, note=note + "补充。")
    key = f"step:{setup.steps.reading.pk}"
    assert CreditEntry.objects.filter(member=members.a1, source_key=key).count() == 1


def test_a_short_reading_note_is_refused_naming_the_field(setup, members):
    with pytest.raises(ValidationError) as error:
        reading_note_submit(member=members.a1, step=setup.steps.reading, note="读完了。")
    assert "note" in error.value.message_dict
    assert not StepProgress.objects.filter(completed_at__isnull=False).exists()


def test_coverage_is_a_share_of_the_exact_video_length(tree, members):
    """A 100.5 s video needs 101 whole seconds, but half of it played shows as 50 %."""
    steps = steps_by_kind(learning_setup(tree.township_a, video_duration=100.5).track)
    progress = progress_open(member=members.a1, step=steps.lecture, at=T0)
    assert progress.required_seconds == 101
    results = record(members.a1, at(60), play(steps.lecture, (0, 50.25)))
    [state] = progress_states(member=members.a1, results=results)
    assert state["coverage"] == 0.5
