"""What one progress event may earn: the checks on its fields and the server's clock.

The server keeps the clock. ``opened_at`` is when the member first opened the step and
``last_event_at`` when the last crediting event arrived. The events of one batch share the
time that passed since then (times ``LEARNING_PLAYBACK_RATE_CAP`` for a video), and nothing
ever earns more than the time since the step was opened: claiming time that has not passed,
playing faster than the cap, or reporting a jump as one long segment earns the allowance and
no more. A video earns only seconds not covered before (the union of played segments,
clipped to its length), so seeking ahead earns nothing and replaying earns nothing twice.

Nothing here completes a step: ``learning.progress.services`` applies a batch, saves the
judged progress row and completes the step once it is done.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from ..models import ProgressEvent, StepProgress, TrackStep
from .coverage import segments_length, segments_merge, segments_new

MAX_SEGMENTS_PER_EVENT = 500

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


class EventJudge:
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
        self.progress.save(update_fields=sorted(self.fields))

    @property
    def done(self) -> bool:
        """Whether the judged step is done and not yet completed."""
        progress = self.progress
        return progress.completed_at is None and progress_is_done(progress, self.duration)


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
