"""What one progress event may earn: the checks on its fields and the attention clock.

The server keeps one clock per member (``AttentionClock``): the wall-clock time the member was
present on their study pages. Every credit spends from it, whatever step or tab it is for, so
all steps together never earn more than the time that passed while the member was there.

Reading: a heartbeat claims the seconds the page was visible since the previous heartbeat. A
claim longer than LEARNING_HEARTBEAT_SECONDS plus LEARNING_HEARTBEAT_SLACK_SECONDS covers a
hidden or sleeping page and earns nothing; a shorter one earns what the clock can pay.

Video: played segments are facts, not time claims. Each is clipped to the video and merged
with what was reported before, whatever order it arrives in; the credited coverage grows by
what is new, spending presence at the playback rate (capped at LEARNING_PLAYBACK_RATE_CAP).
What the clock cannot pay yet waits on the progress row (``segments_pending``) and is credited
by later events as presence grows: never lost, never credited twice. Seeking ahead reports
nothing for the skipped part, and replaying earns nothing twice.

Nothing here completes a step: ``learning.progress.services`` applies a batch, saves the
judged rows and completes the step once it is done.
"""

import datetime
import json
import math
import sys
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from ..models import AttentionClock, ProgressEvent, StepProgress, TrackStep
from .coverage import segments_length, segments_merge, segments_new, segments_subtract

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
# Credit smaller than this is float noise, not a played part of a video.
EPSILON = 1e-6


@dataclass
class EventResult:
    """What became of one event: its outcome, why, the seconds it earned, and whether all it
    reported is credited (``settled``) or part of it waits for the attention clock."""

    id: str
    step_id: int | None
    outcome: str
    detail: str = ""
    seconds: int = 0
    progress: StepProgress | None = field(default=None, repr=False)
    settled: bool = True
    duration: float | None = field(default=None, repr=False)  # the step's video, if any


def event_identity(event: dict) -> tuple[uuid.UUID | None, int | None, str]:
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


def event_row(member, step_id, event_id, event, outcome, detail, seconds, now) -> ProgressEvent:
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


def heartbeat_max_seconds() -> int:
    return settings.LEARNING_HEARTBEAT_SECONDS + settings.LEARNING_HEARTBEAT_SLACK_SECONDS


class EventJudge:
    """Applies one step's events to its locked progress row, paid from the locked clock."""

    def __init__(
        self,
        progress: StepProgress,
        duration: float | None,
        clock: AttentionClock,
        now: datetime.datetime,
    ):
        self.progress, self.duration, self.clock, self.now = progress, duration, clock, now
        self.changed = False
        self.fields: set[str] = set()

    def apply(self, event: dict) -> tuple[str, str, int, bool]:
        """(outcome, detail, seconds credited, settled) for one event, in the order sent."""
        kind = event.get("kind")
        allowed = STEP_EVENT_KINDS[self.progress.step.kind]
        if kind not in allowed:
            message = _("Field “kind”: this step does not take “%(kind)s” events.")
            return REFUSED, message % {"kind": str(kind)[:20]}, 0, True
        problem = _event_problem(event, kind)
        if problem:
            return REFUSED, problem, 0, True
        if kind == HEARTBEAT:
            return self._heartbeat(float(event["seconds"]))
        self._position(event.get("position"))
        segments = event["segments"] if kind == SEGMENTS else []
        return self._segments(segments, float(event.get("rate") or 1.0))

    def _heartbeat(self, seconds: float) -> tuple[str, str, int, bool]:
        longest = heartbeat_max_seconds()
        if seconds > longest:
            message = _("Field “seconds”: a heartbeat covers at most %(max)d seconds.")
            return REFUSED, message % {"max": longest}, 0, True
        # Whole seconds are credited; the fraction stays in the clock for the next one.
        credit = int(min(seconds, self.clock.budget))
        self.clock.spent_seconds += credit
        self.progress.seconds_credited += credit
        self._touched("seconds_credited")
        return ACCEPTED, "", credit, True

    def _segments(self, segments: list, rate: float) -> tuple[str, str, int, bool]:
        """Merge the played parts into what is known, then credit what the clock can pay:
        this event's new parts at its rate first, then parts left waiting by earlier ones."""
        progress = self.progress
        clipped = [[max(0.0, s), min(self.duration, e)] for s, e in segments]
        clipped = [[s, e] for s, e in clipped if e > s]
        fresh = segments_subtract(clipped, progress.segments or [])
        waiting = segments_subtract(progress.segments_pending or [], fresh)
        before = progress.seconds_credited
        speed = min(max(rate, 1.0), settings.LEARNING_PLAYBACK_RATE_CAP)
        unpaid = self._pay(fresh, speed)
        # Parts left waiting are paid at normal speed: the rate they were played at is not kept.
        waiting = self._pay(waiting, 1.0)
        pending = _rounded(segments_merge(unpaid + waiting))
        if pending != (progress.segments_pending or []):
            progress.segments_pending = pending
            self._touched("segments_pending")
        settled = segments_length(unpaid) <= EPSILON
        detail = ""
        if not settled:
            detail = _(
                "Part of what was played is counted later, as your study time allows; "
                "nothing needs to be sent again."
            )
        return ACCEPTED, detail, progress.seconds_credited - before, settled

    def _pay(self, parts: list[list[float]], speed: float) -> list[list[float]]:
        """Credit the first of ``parts`` the clock can pay at ``speed``; return the rest."""
        if not parts or self.clock.budget <= EPSILON:
            return parts
        progress = self.progress
        new = segments_new(progress.segments or [], parts, self.clock.budget * speed)
        paid = segments_length(new)
        if paid <= EPSILON:
            return parts
        progress.segments = _rounded(segments_merge((progress.segments or []) + new))
        progress.seconds_credited = int(segments_length(progress.segments))
        self.clock.spent_seconds += paid / speed
        self._touched("segments", "seconds_credited")
        return segments_subtract(parts, new)

    def _position(self, position) -> None:
        if position is None:
            return
        self.progress.position = round(min(float(position), self.duration or math.inf), 1)
        self._touched("position")

    def _touched(self, *names: str) -> None:
        self.fields.update(names)
        self.fields.add("last_event_at")
        self.progress.last_event_at = self.now
        self.changed = True

    @property
    def done(self) -> bool:
        """Whether the judged step is done and not yet completed."""
        progress = self.progress
        return progress.completed_at is None and progress_is_done(progress, self.duration)


def _rounded(segments: list[list[float]]) -> list[list[float]]:
    rounded = [[round(s, 3), round(e, 3)] for s, e in segments]
    return segments_merge(p for p in rounded if p[1] > p[0])


def is_finite_number(value) -> bool:
    """A JSON number that float arithmetic can take: not a bool, not NaN or infinite, and not
    an integer too large for a float."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -sys.float_info.max <= value <= sys.float_info.max
    return isinstance(value, float) and math.isfinite(value)


def _number_problem(event: dict, name: str, *, required: bool, positive: bool = False) -> str:
    value = event.get(name)
    if value is None:
        return _("Field “%(field)s”: this field is required.") % {"field": name} if required else ""
    if not is_finite_number(value) or value < 0 or (positive and value == 0):
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
