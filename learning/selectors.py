"""Reading learning data for views: which tracks a member has, and the steps they may take."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.http import Http404
from django.utils import timezone

from portal.models import Member, Organization

from .models import (
    CreditEntry,
    OfflineAttendance,
    QuizAttempt,
    StepProgress,
    TrackAssignment,
    TrackCompletion,
    TrackPage,
    TrackStep,
)


def ancestor_paths(organization: Organization | None) -> list[str]:
    """The organisation's own path and its ancestors' (treebeard paths are prefixes)."""
    if organization is None:
        return []
    step = Organization.steplen
    return [organization.path[:end] for end in range(step, len(organization.path) + 1, step)]


def assignments_for_member(member: Member) -> QuerySet[TrackAssignment]:
    """Assignments that reach the member: by name, or to an organisation above their origin
    or host organisation (dual management: the host side assigns study too)."""
    paths = ancestor_paths(member.origin) + ancestor_paths(member.host)
    return TrackAssignment.objects.filter(Q(member=member) | Q(organization__path__in=paths))


def tracks_for_member(member: Member) -> QuerySet[TrackPage]:
    """Live tracks assigned to the member, the nearest deadline first."""
    track_ids = assignments_for_member(member).values("track_id")
    return (
        TrackPage.objects.live()
        .filter(pk__in=track_ids, is_template=False)
        .order_by("deadline", "-first_published_at")
    )


def track_is_assigned(*, member: Member, track: TrackPage) -> bool:
    return assignments_for_member(member).filter(track=track).exists()


def step_for_member(*, member: Member, track_id: int, step_id: int) -> TrackStep:
    """The step, if its track is live and assigned to the member; 404 otherwise, so nobody
    learns which tracks others have."""
    step = (
        TrackStep.objects.select_related("track", "page")
        .filter(pk=step_id, track_id=track_id, track__live=True)
        .first()
    )
    if step is None or not track_is_assigned(member=member, track=step.track):
        raise Http404
    return step


@dataclass
class StepStatus:
    """A step of a track as one member stands with it."""

    step: TrackStep
    state: str  # "todo", "doing" or "done"
    percent: int | None = None

    @property
    def url(self) -> str:
        return self.step.get_url()


def _step_state(step: TrackStep, progress, attended: set[int], tried: set[int]) -> StepStatus:
    if (progress and progress.completed_at) or step.pk in attended:
        return StepStatus(step, "done")
    if step.kind == TrackStep.Kind.QUIZ:
        return StepStatus(step, "doing" if step.page_id in tried else "todo")
    if progress is None:
        return StepStatus(step, "todo")
    percent = None
    if progress.required_seconds:
        percent = min(99, progress.seconds_credited * 100 // progress.required_seconds)
    return StepStatus(step, "doing", percent)


def track_step_statuses(*, member: Member | None, track: TrackPage) -> list[StepStatus]:
    """The track's steps in order with the member's state on each (all "todo" without a
    member, as for an editor previewing the track)."""
    steps = list(track.steps.select_related("page").order_by("sort_order", "pk"))
    if member is None:
        return [StepStatus(step, "todo") for step in steps]
    progress = {p.step_id: p for p in StepProgress.objects.filter(member=member, step__in=steps)}
    attended = set(
        OfflineAttendance.objects.filter(member=member, step__in=steps, attended=True).values_list(
            "step_id", flat=True
        )
    )
    quiz_ids = [step.page_id for step in steps if step.kind == TrackStep.Kind.QUIZ]
    tried = set(
        QuizAttempt.objects.filter(member=member, quiz_id__in=quiz_ids).values_list(
            "quiz_id", flat=True
        )
    )
    return [_step_state(step, progress.get(step.pk), attended, tried) for step in steps]


def track_completion_for(*, member: Member | None, track: TrackPage) -> TrackCompletion | None:
    if member is None:
        return None
    return (
        TrackCompletion.objects.select_related("certificate")
        .filter(member=member, track=track)
        .first()
    )


@dataclass
class DueTrack:
    track: TrackPage
    overdue: bool


@dataclass
class Record:
    """A member's own record for one year: credit from the ledger (reversals included),
    completed tracks with their certificates, and what is due next."""

    year: int
    hours: Decimal
    required_hours: Decimal
    points: int
    points_by_month: list[int]
    completions: list[TrackCompletion]
    due: list[DueTrack]

    @property
    def hours_percent(self) -> int:
        if self.required_hours <= 0:
            return 100
        return max(0, min(100, int(self.hours * 100 / self.required_hours)))


def credit_totals(*, member: Member, year: int) -> tuple[Decimal, int]:
    """Hours and points the ledger holds for the member in the year."""
    totals = CreditEntry.objects.filter(member=member, occurred_on__year=year).aggregate(
        hours=Sum("hours"), points=Sum("points")
    )
    return totals["hours"] or Decimal("0"), totals["points"] or 0


def points_by_month(*, member: Member, year: int) -> list[int]:
    """Points per month of the year, January first (a reversal can make a month negative)."""
    rows = (
        CreditEntry.objects.filter(member=member, occurred_on__year=year)
        .annotate(month=ExtractMonth("occurred_on"))
        .values("month")
        .annotate(points=Sum("points"))
    )
    months = [0] * 12
    for row in rows:
        months[row["month"] - 1] = row["points"] or 0
    return months


def completions_for_member(member: Member) -> list[TrackCompletion]:
    """The member's completed tracks, newest first, with their certificates (if issued)."""
    return list(
        TrackCompletion.objects.filter(member=member)
        .select_related("certificate")
        .order_by("-completed_at")
    )


def due_for_member(*, member: Member, today: datetime.date) -> list[DueTrack]:
    """Assigned tracks not completed yet, the nearest deadline first, those without last."""
    done = TrackCompletion.objects.filter(member=member).values("track_id")
    tracks = (
        tracks_for_member(member)
        .exclude(pk__in=done)
        .order_by(F("deadline").asc(nulls_last=True), "-first_published_at")
    )
    return [DueTrack(track, bool(track.deadline and track.deadline < today)) for track in tracks]


def member_record(*, member: Member, today: datetime.date | None = None) -> Record:
    today = today or timezone.localdate()
    hours, points = credit_totals(member=member, year=today.year)
    return Record(
        year=today.year,
        hours=hours,
        required_hours=Decimal(str(settings.LEARNING_YEARLY_HOURS)),
        points=points,
        points_by_month=points_by_month(member=member, year=today.year),
        completions=completions_for_member(member),
        due=due_for_member(member=member, today=today),
    )
