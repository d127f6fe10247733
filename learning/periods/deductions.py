"""The 12-point deductions (十二分制) of a month: one ledger entry per failing, from a
registry of deduction sources (``DEDUCTION_SOURCES``).

Missed offline sessions are a source here; whereabouts not reported is registered by
``learning.periods.whereabouts``.
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from portal.models import Member

from ..models import (
    CreditEntry,
    Deduction,
    DeductionRule,
    OfflineAttendance,
    TrackAssignment,
    TrackStep,
)
from ..versions import member_learning_changed
from .selectors import batches, month_bounds, month_or_last, nearest_by_path


@dataclass(frozen=True)
class DeductionDue:
    """One failing of one member, as a deduction source found it."""

    member_id: int
    origin_path: str
    source_key: str
    occurred_on: datetime.date
    description: str


def missed_sessions(first: datetime.date, last: datetime.date) -> Iterator[DeductionDue]:
    """Offline sessions of live tracks held in the period that a member they are assigned
    to did not attend. One query each for the steps, their assignments, the attendance,
    and the members of each track."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    steps = list(
        TrackStep.objects.filter(
            kind=TrackStep.Kind.OFFLINE,
            session_starts_at__gte=start,
            session_starts_at__lt=end,
            track__live=True,
            track__is_template=False,
        )
    )
    if not steps:
        return
    attended = set(
        OfflineAttendance.objects.filter(step__in=steps, attended=True).values_list(
            "step_id", "member_id"
        )
    )
    members_by_track = _assigned_members(track_ids={step.track_id for step in steps})
    for step in steps:
        on = timezone.localdate(step.session_starts_at)
        for member_id, origin_path in members_by_track.get(step.track_id, ()):
            if (step.pk, member_id) not in attended:
                yield DeductionDue(
                    member_id, origin_path, f"deduction:{step.pk}:missed_session", on, step.title
                )


def _assigned_members(*, track_ids: set[int]) -> dict[int, list[tuple[int, str]]]:
    """(member id, origin path) of everyone each track is assigned to, by track: the
    members of an assigned subtree (by origin or host, as ``assignments_for_member``) and
    the members named."""
    assignments: dict[int, Q] = {}
    for track_id, path, member_id in TrackAssignment.objects.filter(
        track_id__in=track_ids
    ).values_list("track_id", "organization__path", "member_id"):
        reach = (
            Q(pk=member_id)
            if member_id
            else Q(origin__path__startswith=path) | Q(host__path__startswith=path)
        )
        assignments[track_id] = assignments.get(track_id, Q(pk__in=[])) | reach
    return {
        track_id: list(Member.objects.filter(reach).values_list("pk", "origin__path"))
        for track_id, reach in assignments.items()
    }


# kind → function(first day, last day) yielding the failings of that period. The ledger's
# monthly whereabouts report (issue 6) registers Deduction.WHEREABOUTS here with
# ``deduction_source_register``; until then nothing is deducted for whereabouts.
DEDUCTION_SOURCES: dict[str, Callable[[datetime.date, datetime.date], Iterable[DeductionDue]]] = {
    Deduction.MISSED_SESSION: missed_sessions,
}


def deduction_source_register(
    kind: str, source: Callable[[datetime.date, datetime.date], Iterable[DeductionDue]]
) -> None:
    """Let another part of the record (the whereabouts ledger) report failings of ``kind``."""
    DEDUCTION_SOURCES[Deduction(kind)] = source


def deductions_apply(*, year: int | None = None, month: int | None = None) -> int:
    """Record a DEDUCTION entry for every failing of the month (default: the month that just
    ended); marks from the nearest organisation's DeductionRule, else 1. Returns how many
    entries are new; running it again adds none (the source keys are unique)."""
    first, last = month_bounds(*month_or_last(year, month))
    created = 0
    for kind, source in DEDUCTION_SOURCES.items():
        marks = dict(
            DeductionRule.objects.filter(kind=kind).values_list("organization__path", "marks")
        )
        for batch in batches(source(first, last)):
            created += _deductions_record(batch=batch, marks=marks)
    return created


def _deductions_record(*, batch: list[DeductionDue], marks: dict[str, int]) -> int:
    existing = set(
        CreditEntry.objects.filter(
            source_key__in={due.source_key for due in batch},
            member_id__in={due.member_id for due in batch},
        ).values_list("member_id", "source_key")
    )
    entries = [
        CreditEntry(
            member_id=due.member_id,
            source=CreditEntry.Source.DEDUCTION,
            source_key=due.source_key,
            occurred_on=due.occurred_on,
            deduction=nearest_by_path(marks, due.origin_path, 1),
            description=due.description[:255],
        )
        for due in batch
        if (due.member_id, due.source_key) not in existing
    ]
    CreditEntry.objects.bulk_create(entries, ignore_conflicts=True)
    member_learning_changed([entry.member_id for entry in entries])  # no signal from bulk
    return len(entries)
