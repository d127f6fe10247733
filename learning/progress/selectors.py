"""What a member's client is told of a step: the seconds it needs, the facts events are
judged by, and how far along it is."""

import html
import math
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.utils.html import strip_tags

from portal.models import Member, MicroLecturePage

from ..models import StepProgress, TrackCompletion, TrackStep
from ..tracks.selectors import step_for_member
from .coverage import segments_length
from .events import EventResult

# Reading time for even the shortest material, so that a title alone is not done at a glance.
MIN_READING_SECONDS = 30
STEP_FACTS_SECONDS = 60


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


def _facts_key(member_id: int, step_id: int) -> str:
    return f"learning:progress-step:{member_id}:{step_id}"


def _version_key(step_id: int) -> str:
    return f"learning:progress-step-version:{step_id}"


def step_facts(member: Member, step_id: int) -> dict | None:
    """What judging events needs to know about a step for this member; None if there is
    no such step. A client reports every 15 s, so the answer is kept for STEP_FACTS_SECONDS,
    stamped with the step's version in the cache. ``step_facts_forget`` drops the version
    when the step, its track or its assignments change; the next reader draws a new one, so
    no answer kept before the change matches again (nor after the cache evicts a version)."""
    key, version_key = _facts_key(member.pk, step_id), _version_key(step_id)
    cached = cache.get_many([key, version_key])
    version = cached.get(version_key)
    if version is None:
        cache.add(version_key, uuid.uuid4().hex, timeout=None)
        version = cache.get(version_key)
    entry = cached.get(key)
    if entry is not None and version is not None and entry["version"] == version:
        return entry["facts"] or None
    facts = _step_facts_read(member, step_id)
    cache.set(key, {"version": version, "facts": facts}, STEP_FACTS_SECONDS)
    return facts or None


def _step_facts_read(member: Member, step_id: int) -> dict:
    facts = {}
    track_id = TrackStep.objects.filter(pk=step_id).values_list("track_id", flat=True).first()
    if track_id is not None:
        facts = {"track_id": track_id, "assigned": True, "duration": None}
        try:
            step = step_for_member(member=member, track_id=track_id, step_id=step_id)
        except Http404:
            step = TrackStep.objects.filter(pk=step_id).first()
            if step is None:  # deleted since the line above
                return {}
            facts["assigned"] = False
        facts.update(kind=step.kind, page_id=step.page_id, required=step.required)
        facts["title"] = step.display_title if facts["assigned"] else step.title
        if facts["assigned"] and step.kind == TrackStep.Kind.LECTURE:
            facts["duration"] = lecture_duration(step)
    return facts


def step_facts_forget(step_ids: Iterable[int]) -> None:
    """Every member's kept facts of these steps are stale from now on."""
    cache.delete_many([_version_key(step_id) for step_id in step_ids])


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
    durations = {r.progress.step_id: r.duration for r in results if r.progress is not None}
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
            duration=durations[p.step_id],
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
        "pending_seconds": round(segments_length(progress.segments_pending or []), 1),
        "position": progress.position,
        "completed": progress.completed_at is not None,
        "track_completed": track_completed,
    }
