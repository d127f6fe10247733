"""Progress that cannot be faked: opening a step, the events a member's client reports, the
red-package step's reading note (读书心得), and completing steps and tracks.

What an event earns is decided in ``learning.progress.events`` and paid from the member's
attention clock (``AttentionClock``, docs/adr/0012-attention-clock.md). Every event is stored
once under the client's id (``ProgressEvent``): a retry, or the same event racing itself from
two tabs, comes back as "duplicate" and changes nothing.

Locks are always taken in one order: the member's attention clock, then the progress rows
(by step id), then the member's row (``step_complete``), then the progress rows of quiz steps
(ADR 0013: whoever locks one holds the member's row first, and no event is for a quiz step).
A batch takes the clock first, so one member's batches take turns whatever steps they are
for, and applies all its steps in one short transaction.

Steps and tracks are completed each exactly once per member, whatever arrives twice.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Member
from portal.registry.rows import rows_select, rows_write

from ..credit import services as credit
from ..models import (
    AttentionClock,
    QuizAttempt,
    StepProgress,
    TrackCompletion,
    TrackPage,
    TrackStep,
)
from ..versions import member_learning_changed
from . import rows
from .events import (
    DUPLICATE,
    REFUSED,
    STEP_EVENT_KINDS,
    EventJudge,
    EventResult,
    event_identity,
    event_row,
)
from .selectors import required_seconds_for, step_facts

# --- The attention clock --------------------------------------------------------------------


def attention_locked(*, member_id: int, now: datetime.datetime) -> AttentionClock:
    """The member's attention clock, locked until the transaction ends and advanced to
    ``now`` (not saved: the caller saves it once, with what it spent)."""
    clock = rows.clock_select_for_update(member_id)
    if clock is None:
        _clock, created = AttentionClock.objects.get_or_create(
            member_id=member_id, defaults={"last_seen_at": now}
        )
        # Created here or by another request first: either way, wait for it and lock it.
        clock = rows.clock_select_for_update(member_id)
    clock.advance(now, gap_seconds=settings.LEARNING_ATTENTION_GAP_SECONDS)
    return clock


def attention_touch(*, member_id: int, now: datetime.datetime) -> AttentionClock:
    """A contact from one of the member's study pages: presence advances to ``now``."""
    with transaction.atomic():
        clock = attention_locked(member_id=member_id, now=now)
        _clock_save(clock)
    return clock


CLOCK_FIELDS = ("last_seen_at", "present_seconds", "spent_seconds")


def _clock_save(clock: AttentionClock) -> None:
    # An UPDATE of the three fields; no signal listens to the clock.
    rows_write([(clock, CLOCK_FIELDS)], [])


# --- Opening a step -------------------------------------------------------------------------


def progress_open(*, member: Member, step: TrackStep, at: datetime.datetime) -> StepProgress:
    """The member's progress on the step, started at ``at`` the first time they open it.

    Opening a step page is a contact: it advances the member's attention clock.
    """
    attention_touch(member_id=member.pk, now=at)
    return _progress_get_or_create(member, step, at)


def _progress_get_or_create(member: Member, step: TrackStep, at: datetime.datetime) -> StepProgress:
    found = rows_select(StepProgress, {"member": member.pk, "step": step.pk})
    progress = found[0] if found else None
    if progress is not None:
        progress.step = step  # the caller's, instead of a query when the page asks for it
        return progress
    defaults = {"opened_at": at, "required_seconds": required_seconds_for(step)}
    progress, _created = StepProgress.objects.get_or_create(
        member=member, step=step, defaults=defaults
    )
    return progress


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
        event_id, step_id, problem = event_identity(event)
        if problem:
            results[index] = EventResult(str(event.get("id", "")), step_id, REFUSED, problem)
            continue
        batch = batches.setdefault(step_id, _StepBatch(step_id=step_id, events=[]))
        batch.events.append((event_id, event))
        order.setdefault(step_id, []).append(index)
    if batches:
        _steps_resolve(member, list(batches.values()))
        ordered = [batches[k] for k in sorted(batches)]
        try:
            with transaction.atomic():
                applied = _batches_apply(member, ordered, now, joined=True)
        except IntegrityError:
            # A twin stored while this batch waited (rows.clock_and_progress_locked): again.
            with transaction.atomic():
                applied = _batches_apply(member, ordered, now, joined=False)
        for step_id, step_results in applied.items():
            for index, result in zip(order[step_id], step_results, strict=True):
                results[index] = result
    return results


def _steps_resolve(member: Member, batches: list[_StepBatch]) -> None:
    """Find each batch's step among the member's assigned steps, or say why not."""
    for batch in batches:
        facts = step_facts(member, batch.step_id)
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


def _batches_apply(
    member: Member, batches: list[_StepBatch], now: datetime.datetime, *, joined: bool
) -> dict[int, list[EventResult]]:
    """Apply every step's events inside the caller's transaction: the clock locked first,
    then the progress rows in step order; then one write of all that changed. ``joined``:
    the clock and the first progress row in one statement (rows.clock_and_progress_locked)."""
    ids = [event_id for batch in batches for event_id, _event in batch.events]
    live = [batch for batch in batches if batch.step is not None and not batch.refusal]
    locked = None
    if joined and live:
        locked = rows.clock_and_progress_locked(member.pk, live[0].step_id, ids)
    judges: dict[int, EventJudge] = {}
    if locked is not None:
        clock, progress, seen = locked
        clock.advance(now, gap_seconds=settings.LEARNING_ATTENTION_GAP_SECONDS)
        progress.step = live[0].step
        judges[live[0].step_id] = EventJudge(progress, live[0].duration, clock, now)
        live = live[1:]
    else:
        clock = attention_locked(member_id=member.pk, now=now)
        seen = None  # read with the first progress row, where the database can
    for batch in live:
        ask = ids if seen is None else ()
        progress, seen_here = _progress_locked(member, batch.step, now, ask)
        seen = seen if seen is not None else seen_here
        judges[batch.step_id] = EventJudge(progress, batch.duration, clock, now)
    if seen is None:
        seen = rows.events_seen(member.pk, ids)
    applied, stored = {}, []
    for batch in batches:
        judge = judges.get(batch.step_id)
        applied[batch.step_id] = _batch_judge(member, batch, judge, seen, stored, now)
    changed = [judge for judge in judges.values() if judge.changed]
    updates = [(clock, CLOCK_FIELDS)] + [(judge.progress, judge.fields) for judge in changed]
    rows_write(updates, stored)
    if changed:  # plain SQL, no signal; no kept page is read before the commit
        member_learning_changed([member.pk], now=False)
    for judge in changed:
        if judge.done:
            step_complete(progress=judge.progress, at=now)
    return applied


def _batch_judge(member, batch, judge, seen, stored, now) -> list[EventResult]:
    """One step's results; the events to store are added to ``stored``."""
    progress = judge.progress if judge else None
    duration = batch.duration
    results = []
    for event_id, event in batch.events:
        if event_id in seen:
            results.append(
                EventResult(
                    str(event_id), batch.step_id, DUPLICATE, progress=progress, duration=duration
                )
            )
            continue
        seen.add(event_id)
        if judge is None:
            outcome, detail, seconds, settled = REFUSED, batch.refusal, 0, True
        else:
            outcome, detail, seconds, settled = judge.apply(event)
        results.append(
            EventResult(
                str(event_id), batch.step_id, outcome, detail, seconds, progress, settled, duration
            )
        )
        if batch.step is not None:  # an unknown step has nothing to store the events under
            stored.append(
                event_row(member, batch.step_id, event_id, event, outcome, detail, seconds, now)
            )
    return results


def progress_locked(member: Member, step: TrackStep, now: datetime.datetime) -> StepProgress:
    """The progress row, locked until the transaction ends; opened now if it never was."""
    return _progress_locked(member, step, now, ())[0]


def _progress_locked(member, step, now, seen_among) -> tuple[StepProgress, set | None]:
    """The locked progress row and, where the database reads them in the same statement,
    which of the ``seen_among`` event ids were received before (else None)."""
    progress, seen = rows.progress_select_for_update(member.pk, step.pk, seen_among=seen_among)
    if progress is None:
        _progress_get_or_create(member, step, now)
        progress, seen = rows.progress_select_for_update(member.pk, step.pk, seen_among=seen_among)
    progress.step = step
    return progress, seen


# --- Completing steps and tracks ------------------------------------------------------


def step_complete(*, progress: StepProgress, at: datetime.datetime) -> bool:
    """Mark the step done and credit it, then complete the track if that was the last step.

    The caller holds the progress row (select_for_update) inside a transaction. Returns
    False if the step was already done.

    Two steps of one track completing at once in two transactions must not each miss the
    other: the member's row makes them take turns, so the second sees the first's step done.
    Locks are always taken attention clock first, progress rows second, member row last.
    """
    if progress.completed_at is not None:
        return False
    member_lock(progress.member_id)
    _step_done(progress, at)
    track_completion_check(member_id=progress.member_id, track_id=progress.step.track_id, at=at)
    return True


def member_lock(member_id: int) -> None:
    list(Member.objects.select_for_update().filter(pk=member_id).values_list("pk"))


def _step_done(progress: StepProgress, at: datetime.datetime) -> None:
    progress.completed_at = at
    progress.save(update_fields=["completed_at"])
    on = timezone.localdate(at)
    credit.step_credit_grant(member_id=progress.member_id, step=progress.step, on=on)


def _passed_quiz_steps_complete(member_id: int, track: TrackPage, at: datetime.datetime) -> None:
    """Complete the track's quiz steps whose quiz the member passed in another track or
    month (ADR 0013), before the track is judged; the caller holds the member's row."""
    passed = QuizAttempt.objects.filter(member_id=member_id, passed=True).values("quiz_id")
    done = StepProgress.objects.filter(member_id=member_id, completed_at__isnull=False)
    steps = track.steps.filter(kind=TrackStep.Kind.QUIZ, page__in=passed).exclude(
        pk__in=done.values("step_id")
    )
    member = Member(pk=member_id)
    for step in steps.order_by("pk"):
        progress = progress_locked(member, step, at)
        if progress.completed_at is None:
            _step_done(progress, at)


def track_is_done(*, member_id: int, track: TrackPage) -> bool:
    """All required steps done; a track with only elective steps needs one of them."""
    steps = list(track.steps.values_list("pk", "required"))
    required = [pk for pk, is_required in steps if is_required]
    done = set(
        StepProgress.objects.filter(
            member_id=member_id, step__track=track, completed_at__isnull=False
        ).values_list("step_id", flat=True)
    )
    if required:
        return done.issuperset(required)
    return bool(done)


def track_completion_check(
    *, member_id: int, track_id: int, at: datetime.datetime
) -> TrackCompletion | None:
    """Complete the track for the member if every step it needs is done.

    Returns the new completion, or None (not done yet, or completed before). The unique
    constraint on (member, track) makes a second completion impossible.
    """
    track = TrackPage.objects.get(pk=track_id)
    _passed_quiz_steps_complete(member_id, track, at)
    if not track_is_done(member_id=member_id, track=track):
        return None
    completion = TrackCompletion(
        member_id=member_id,
        track=track,
        track_title=track.title,
        track_kind=track.kind,
        study_hours=track.study_hours,
        points=track.points,
        completed_at=at,
    )
    try:
        with transaction.atomic():
            completion.save()
    except IntegrityError:
        return None
    credit.track_credit_grant(completion=completion)
    transaction.on_commit(lambda: _certificate_enqueue(completion.pk))
    return completion


def _certificate_enqueue(completion_id: int) -> None:
    from ..record.tasks import certificate_issue

    certificate_issue.delay(completion_id)


def reading_note_min_chars() -> int:
    return settings.LEARNING_READING_NOTE_MIN_CHARS


def reading_note_submit(*, member: Member, step: TrackStep, note: str) -> StepProgress:
    """Complete a red-package reading step with the member's reading note (读书心得).

    The step must be one of the member's (``step_for_member``); a note shorter than
    LEARNING_READING_NOTE_MIN_CHARS characters is refused. A later note replaces the text
    but credits nothing again.
    """
    if step.kind != TrackStep.Kind.READING:
        raise ValidationError({"note": _("This step is not completed with a reading note.")})
    note = note.strip()
    minimum = reading_note_min_chars()
    if len("".join(note.split())) < minimum:
        message = _("Write at least %(count)d characters about what you read.")
        raise ValidationError({"note": message % {"count": minimum}})
    now = timezone.now()
    with transaction.atomic():
        progress = progress_locked(member, step, now)
        progress.note = note
        progress.full_clean(exclude=["member", "step"])
        progress.save(update_fields=["note"])
        if progress.completed_at is None:
            step_complete(progress=progress, at=now)
    return progress
