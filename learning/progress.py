"""Progress that cannot be faked: opening a step and the events a member's client reports
(the red-package step's reading note is in learning.reading_notes).

The server keeps the clock. ``opened_at`` is when the member first opened the step and
``last_event_at`` when the last crediting event arrived. The events of one batch share the
time that passed since then (times ``LEARNING_PLAYBACK_RATE_CAP`` for a video), and nothing
ever earns more than the time since the step was opened: claiming time that has not passed,
playing faster than the cap, or reporting a jump as one long segment earns the allowance and
no more. A video earns only seconds not covered before (the union of played segments,
clipped to its length), so seeking ahead earns nothing and replaying earns nothing twice.

Every event is stored once under the client's id (``ProgressEvent``): a retry, or the same
event racing itself from two tabs, comes back as "duplicate" and changes nothing. The step's
progress row is locked while a batch is applied, so two batches for one step take turns.
"""

import datetime
import html
import json
import math
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from portal.models import Member, MicroLecturePage

from .completion import step_complete
from .coverage import segments_length, segments_merge, segments_new
from .models import ProgressEvent, StepProgress, TrackCompletion, TrackStep
from .selectors import step_for_member

# Reading time for even the shortest material, so that a title alone is not done at a glance.
MIN_READING_SECONDS = 30
MAX_SEGMENTS_PER_EVENT = 500
STEP_FACTS_SECONDS = 60

HEARTBEAT, SEGMENTS, POSITION = "heartbeat", "segments", "position"
EVENT_KINDS = (HEARTBEAT, SEGMENTS, POSITION)
# Which events each kind of step takes; quizzes, readings and offline sessions take none.
STEP_EVENT_KINDS = {
    TrackStep.Kind.MATERIAL: {HEARTBEAT},
    TrackStep.Kind.LECTURE: {SEGMENTS, POSITION},
}
ACCEPTED = ProgressEvent.Outcome.ACCEPTED
DUPLICATE = ProgressEvent.Outcome.DUPLICATE
REFUSED = ProgressEvent.Outcome.REFUSED


@dataclass
class EventResult:
    """What became of one event: its outcome, why, and the seconds it earned."""

    id: str
    step_id: int | None
    outcome: str
    detail: str = ""
    seconds: int = 0
    progress: StepProgress | None = field(default=None, repr=False)


# --- Opening a step -------------------------------------------------------------------------


def progress_open(*, member: Member, step: TrackStep, at: datetime.datetime) -> StepProgress:
    """The member's progress on the step, started at ``at`` the first time they open it."""
    progress = StepProgress.objects.filter(member=member, step=step).first()
    if progress is not None:
        return progress
    defaults = {"opened_at": at, "required_seconds": required_seconds_for(step)}
    progress, _created = StepProgress.objects.get_or_create(
        member=member, step=step, defaults=defaults
    )
    return progress


def required_seconds_for(step: TrackStep) -> int:
    """Seconds needed to complete the step: reading time for a material at
    LEARNING_READING_CHARS_PER_MINUTE, the video's length for a lecture, 0 otherwise."""
    if step.kind == TrackStep.Kind.MATERIAL and step.page_id:
        characters = len(material_text(step.page.specific))
        seconds = math.ceil(characters * 60 / settings.LEARNING_READING_CHARS_PER_MINUTE)
        return max(MIN_READING_SECONDS, seconds)
    if step.kind == TrackStep.Kind.LECTURE:
        return math.ceil(lecture_duration(step) or 0)
    return 0


def material_text(page) -> str:
    """The words a member reads on a study material: summary and body, without markup or
    white space."""
    parts = [page.summary]
    for block in page.body:
        if block.block_type == "paragraph":
            parts.append(html.unescape(strip_tags(block.value.source)))
        elif block.block_type == "quote":
            parts.append(block.value["text"])
        elif block.block_type == "document":
            parts.append(block.value["note"])
    return "".join("".join(parts).split())


def lecture_duration(step: TrackStep) -> float | None:
    """The length of the lecture's video in seconds; None while it is not known."""
    if not step.page_id:
        return None
    rows = MicroLecturePage.objects.filter(pk=step.page_id).values_list("video__duration")
    row = rows.first()
    return row[0] if row else None


# --- Recording events -----------------------------------------------------------------------


@dataclass
class _StepBatch:
    """The events of one batch for one step, and what the step needs to judge them."""

    step_id: int
    events: list[tuple[uuid.UUID, dict]]
    step: TrackStep | None = None
    refusal: str = ""  # set when every event of the step is refused
    duration: float | None = None


def progress_events_record(
    *, member: Member, events: list[dict], now: datetime.datetime | None = None
) -> list[EventResult]:
    """Apply a batch of progress events from the member's client, in the order sent.

    Each event is ``{"id", "step", "kind", ...}``: a heartbeat has ``seconds`` (visible time
    since the previous heartbeat), a segments event ``segments`` ([[start, end], ...] actually
    played), ``position`` and ``rate``; a position event ``position``. Returns one result per
    event, in the same order.
    """
    now = now or timezone.now()
    results: list[EventResult | None] = [None] * len(events)
    batches: dict[int, _StepBatch] = {}
    order: dict[int, list[int]] = {}
    for index, event in enumerate(events):
        event_id, step_id, problem = _event_identity(event)
        if problem:
            results[index] = EventResult(str(event.get("id", "")), step_id, REFUSED, problem)
            continue
        batch = batches.setdefault(step_id, _StepBatch(step_id=step_id, events=[]))
        batch.events.append((event_id, event))
        order.setdefault(step_id, []).append(index)
    _steps_resolve(member, list(batches.values()))
    for step_id, batch in batches.items():
        for index, result in zip(order[step_id], _batch_apply(member, batch, now), strict=True):
            results[index] = result
    return results


def _event_identity(event: dict) -> tuple[uuid.UUID | None, int | None, str]:
    """The event's id and step, or why it cannot even be stored."""
    step_id = event.get("step")
    step_id = step_id if isinstance(step_id, int) and not isinstance(step_id, bool) else None
    try:
        event_id = uuid.UUID(str(event.get("id")))
    except ValueError:
        return None, step_id, _("Field “id”: a UUID is required.")
    if step_id is None:
        return event_id, None, _("Field “step”: a step number is required.")
    return event_id, step_id, ""


def _steps_resolve(member: Member, batches: list[_StepBatch]) -> None:
    """Find each batch's step among the member's assigned steps, or say why not."""
    for batch in batches:
        facts = _step_facts(member, batch.step_id)
        if facts is None:
            batch.refusal = _("Field “step”: there is no such step.")
            continue
        batch.step = TrackStep(
            pk=batch.step_id,
            track_id=facts["track_id"],
            kind=facts["kind"],
            page_id=facts["page_id"],
            title=facts["title"],
            required=facts["required"],
        )
        batch.duration = facts["duration"]
        if not facts["assigned"]:
            batch.refusal = _("Field “step”: this step is not among your learning tracks.")
        elif batch.step.kind not in STEP_EVENT_KINDS:
            batch.refusal = _("Field “step”: this kind of step does not take progress events.")
        elif batch.step.kind == TrackStep.Kind.LECTURE and not batch.duration:
            batch.refusal = _("Field “step”: the video of this lecture is not ready.")


def _step_facts(member: Member, step_id: int) -> dict | None:
    """What judging events needs to know about a step for this member; None if there is
    no such step. A client reports every 15 s, so the answer is kept for STEP_FACTS_SECONDS:
    a track unassigned or unpublished takes events that long at most."""
    key = f"learning:progress-step:{member.pk}:{step_id}"
    facts = cache.get(key)
    if facts is not None:
        return facts or None
    facts = {}
    track_id = TrackStep.objects.filter(pk=step_id).values_list("track_id", flat=True).first()
    if track_id is not None:
        facts = {"track_id": track_id, "assigned": True, "duration": None}
        try:
            step = step_for_member(member=member, track_id=track_id, step_id=step_id)
        except Http404:
            step = TrackStep.objects.get(pk=step_id)
            facts["assigned"] = False
        facts.update(kind=step.kind, page_id=step.page_id, required=step.required)
        facts["title"] = step.display_title if facts["assigned"] else step.title
        if facts["assigned"] and step.kind == TrackStep.Kind.LECTURE:
            facts["duration"] = lecture_duration(step)
    cache.set(key, facts, STEP_FACTS_SECONDS)
    return facts or None


def _batch_apply(member: Member, batch: _StepBatch, now: datetime.datetime) -> list[EventResult]:
    if batch.step is None:  # unknown step: nothing to store the events under
        return [
            EventResult(str(i), batch.step_id, REFUSED, batch.refusal) for i, _e in batch.events
        ]
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _batch_apply_locked(member, batch, now)
        except IntegrityError:
            # The same id arrived for another step at the same moment: judge again, and
            # it is a duplicate now.
            continue
    raise RuntimeError("progress events could not be stored")


def _batch_apply_locked(
    member: Member, batch: _StepBatch, now: datetime.datetime
) -> list[EventResult]:
    progress = None
    if not batch.refusal:
        progress = progress_locked(member, batch.step, now)
    ids = [event_id for event_id, _event in batch.events]
    seen = set(
        ProgressEvent.objects.filter(member=member, event_id__in=ids).values_list(
            "event_id", flat=True
        )
    )
    judge = _Judge(progress, batch.duration, now) if progress else None
    results, rows = [], []
    for event_id, event in batch.events:
        if event_id in seen:
            results.append(EventResult(str(event_id), batch.step_id, DUPLICATE, progress=progress))
            continue
        seen.add(event_id)
        if judge is None:
            outcome, detail, seconds = REFUSED, batch.refusal, 0
        else:
            outcome, detail, seconds = judge.apply(event)
        results.append(
            EventResult(str(event_id), batch.step_id, outcome, detail, seconds, progress)
        )
        rows.append(
            _event_row(member, batch.step_id, event_id, event, outcome, detail, seconds, now)
        )
    ProgressEvent.objects.bulk_create(rows)
    if judge is not None and judge.changed:
        judge.save()
    return results


def _event_row(member, step_id, event_id, event, outcome, detail, seconds, now) -> ProgressEvent:
    payload = {k: v for k, v in event.items() if k not in ("id", "step", "kind")}
    try:
        json.dumps(payload, allow_nan=False)
    except (TypeError, ValueError):  # NaN, infinity or objects: keep a readable trace
        payload = {"unreadable": repr(payload)[:200]}
    return ProgressEvent(
        member=member,
        event_id=event_id,
        step_id=step_id,
        kind=str(event.get("kind", ""))[:20],
        payload=payload,
        outcome=outcome,
        detail=str(detail)[:200],
        seconds_credited=seconds,
        received_at=now,
    )


def progress_locked(member: Member, step: TrackStep, now: datetime.datetime) -> StepProgress:
    """The progress row, locked until the transaction ends; opened now if it never was."""
    locked = StepProgress.objects.select_for_update()
    progress = locked.filter(member=member, step=step).first()
    if progress is None:
        progress_open(member=member, step=step, at=now)
        progress = locked.get(member=member, step=step)
    progress.step = step
    return progress


class _Judge:
    """Applies one step's events to its locked progress row under the clock rule."""

    def __init__(self, progress: StepProgress, duration: float | None, now: datetime.datetime):
        self.progress, self.duration, self.now = progress, duration, now
        self.changed = False
        self.fields: set[str] = set()
        since = progress.last_event_at or progress.opened_at
        rate_cap = settings.LEARNING_PLAYBACK_RATE_CAP if duration else 1.0
        self.rate_cap = rate_cap
        # The time this batch may credit: since the last crediting event, and never more than
        # since the step was opened, whatever was credited before.
        elapsed = max(0.0, (now - since).total_seconds()) * rate_cap
        total = max(0.0, (now - progress.opened_at).total_seconds()) * rate_cap
        self.allowance = min(elapsed, total - progress.seconds_credited)

    def apply(self, event: dict) -> tuple[str, str, int]:
        kind = event.get("kind")
        allowed = STEP_EVENT_KINDS[self.progress.step.kind]
        if kind not in allowed:
            return (
                REFUSED,
                _("Field “kind”: this step does not take “%(kind)s” events.")
                % {"kind": str(kind)[:20]},
                0,
            )
        problem = _event_problem(event, kind)
        if problem:
            return REFUSED, problem, 0
        if kind == HEARTBEAT:
            return self._heartbeat(float(event["seconds"]))
        self._position(event.get("position"))
        if kind == POSITION:
            return ACCEPTED, "", 0
        return self._segments(event["segments"], float(event.get("rate") or 1.0))

    def _heartbeat(self, seconds: float) -> tuple[str, str, int]:
        credit = int(max(0.0, min(seconds, self.allowance)))
        return self._credit(credit, trimmed=credit < int(seconds))

    def _segments(self, segments: list, rate: float) -> tuple[str, str, int]:
        clipped = [[max(0.0, s), min(self.duration, e)] for s, e in segments]
        clipped = [[s, e] for s, e in clipped if e > s]
        covered = self.progress.segments or []
        fresh = segments_length(segments_new(covered, clipped, math.inf))
        # Faster than the cap earns what playing at the cap would have earned.
        limit = min(self.allowance, fresh * min(1.0, self.rate_cap / rate))
        new = segments_new(covered, clipped, limit)
        if new:
            rounded = [[round(s, 3), round(e, 3)] for s, e in segments_merge(covered + new)]
            self.progress.segments = segments_merge(p for p in rounded if p[1] > p[0])
            self.fields.add("segments")
        before = self.progress.seconds_credited
        self.progress.seconds_credited = int(segments_length(self.progress.segments))
        self.allowance -= segments_length(new)
        trimmed = segments_length(new) + 1e-6 < fresh
        return self._credit(self.progress.seconds_credited - before, trimmed=trimmed, spent=False)

    def _credit(self, seconds: int, *, trimmed: bool, spent: bool = True) -> tuple[str, str, int]:
        progress = self.progress
        if spent:
            progress.seconds_credited += seconds
            self.allowance -= seconds
        progress.last_event_at = self.now
        self.fields.update({"seconds_credited", "last_event_at"})
        self.changed = True
        detail = ""
        if trimmed:
            detail = _("More than the time that has passed was claimed; the excess is not counted.")
        return ACCEPTED, detail, max(0, seconds)

    def _position(self, position) -> None:
        if position is None:
            return
        self.progress.position = round(min(float(position), self.duration or math.inf), 1)
        self.fields.add("position")
        self.changed = True

    def save(self) -> None:
        progress = self.progress
        progress.save(update_fields=sorted(self.fields))
        if progress.completed_at is None and progress_is_done(progress, self.duration):
            step_complete(progress=progress, at=self.now)


def _number_problem(event: dict, name: str, *, required: bool, positive: bool = False) -> str:
    value = event.get(name)
    if value is None:
        return _("Field “%(field)s”: this field is required.") % {"field": name} if required else ""
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value < 0 or (positive and value == 0):
        if positive:
            return _("Field “%(field)s”: must be a number above 0.") % {"field": name}
        return _("Field “%(field)s”: must be a number of seconds, 0 or more.") % {"field": name}
    return ""


def _segments_problem(segments) -> str:
    message = _("Field “segments”: a list of [start, end] pairs with 0 ≤ start ≤ end is required.")
    if not isinstance(segments, list) or len(segments) > MAX_SEGMENTS_PER_EVENT:
        return message
    for pair in segments:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            return message
        if any(_number_problem({"v": value}, "v", required=True) for value in pair):
            return message
        if pair[0] > pair[1]:
            return message
    return ""


def _event_problem(event: dict, kind: str) -> str:
    """Why a well-addressed event cannot be taken, naming the field; "" if it can."""
    if kind == HEARTBEAT:
        return _number_problem(event, "seconds", required=True)
    problem = _number_problem(event, "position", required=kind == POSITION)
    if problem or kind == POSITION:
        return problem
    return _segments_problem(event.get("segments")) or _number_problem(
        event, "rate", required=False, positive=True
    )


def progress_is_done(progress: StepProgress, duration: float | None) -> bool:
    """A video at LEARNING_VIDEO_COVERAGE of its length; reading at its required time."""
    if progress.step.kind == TrackStep.Kind.LECTURE:
        if not duration:
            return False
        covered = segments_length(progress.segments or [])
        return covered >= settings.LEARNING_VIDEO_COVERAGE * duration
    return progress.seconds_credited >= progress.required_seconds


# --- What the client is told ----------------------------------------------------------------


def progress_coverage(progress: StepProgress, *, duration: float | None = None) -> float:
    """How far along the step is, 0 to 1: the video's played share (of ``duration``, its
    exact length, if given), or the reading time done."""
    if progress.step.kind == TrackStep.Kind.LECTURE:
        length = duration or progress.required_seconds
        covered = segments_length(progress.segments or [])
        return round(min(1.0, covered / length), 3) if length else 0.0
    if progress.completed_at is not None:
        return 1.0
    if not progress.required_seconds:
        return 0.0
    return round(min(1.0, progress.seconds_credited / progress.required_seconds), 3)


def progress_states(*, member: Member, results: list[EventResult]) -> list[dict]:
    """The state of each step the results touched, for the client's progress bar."""
    steps = {r.progress.step_id: r.progress for r in results if r.progress is not None}
    # A track cannot be complete while one of its required steps is not.
    track_ids = {p.step.track_id for p in steps.values() if p.completed_at or not p.step.required}
    done_tracks = set()
    if track_ids:
        done_tracks = set(
            TrackCompletion.objects.filter(member=member, track_id__in=track_ids).values_list(
                "track_id", flat=True
            )
        )
    return [
        progress_state(
            p,
            track_completed=p.step.track_id in done_tracks,
            duration=(_step_facts(member, p.step_id) or {}).get("duration"),
        )
        for p in steps.values()
    ]


def progress_state(
    progress: StepProgress, *, track_completed: bool, duration: float | None = None
) -> dict:
    return {
        "step": progress.step_id,
        "seconds_credited": progress.seconds_credited,
        "required_seconds": progress.required_seconds,
        "coverage": progress_coverage(progress, duration=duration),
        "position": progress.position,
        "completed": progress.completed_at is not None,
        "track_completed": track_completed,
    }
