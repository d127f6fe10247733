"""Periods of the record: deductions, the monthly tally, quarterly publication, assessment.

- ``deductions_apply``: the 12-point deductions (十二分制) of a month, one ledger entry per
  failing, from a registry of deduction sources (``DEDUCTION_SOURCES``).
- ``monthly_tally``: every member's hours, points and deductions of a month, from the ledger.
- ``quarter_publish`` / ``publication_rows``: the quarterly publication (季公示).

The annual assessment (年考核) built on these sums is in ``annual_assessment``.
"""

import calendar
import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.inbox.services import notifications_send, organization_member_user_ids
from portal.models import Member, Notification, Organization
from portal.registry.selectors import member_for_user, organizations_managed_by

from .models import (
    CreditEntry,
    Deduction,
    DeductionRule,
    MonthlyTally,
    OfflineAttendance,
    QuarterlyPublication,
    TrackAssignment,
    TrackStep,
)
from .selectors import ancestor_paths

BATCH_SIZE = 5000
FULL_SCORE = 12  # the 12-point system: every member starts the year with 12 marks


def batches(items: Iterable, size: int = BATCH_SIZE) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _month_or_last(year: int | None, month: int | None) -> tuple[int, int]:
    """The given month, or the one that just ended in the site's time zone."""
    if year and month:
        return year, month
    last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return last.year, last.month


def _month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of the month."""
    return datetime.date(year, month, 1), datetime.date(
        year, month, calendar.monthrange(year, month)[1]
    )


def nearest_by_path(by_path: dict[str, object], organization_path: str, default):
    """The value set by the nearest organisation at or above ``organization_path``."""
    step = Organization.steplen
    for end in range(len(organization_path), 0, -step):
        value = by_path.get(organization_path[:end])
        if value is not None:
            return value
    return default


# --- 12-point deductions ----------------------------------------------------------------


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
    first, last = _month_bounds(*_month_or_last(year, month))
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
    return len(entries)


# --- Monthly tally ----------------------------------------------------------------------


def ledger_sums(entries: QuerySet[CreditEntry]) -> dict[int, tuple[Decimal, int, int]]:
    """member id → (hours, points, deduction) of the entries, in one grouped query."""
    rows = (
        entries.values("member_id")
        .annotate(Sum("hours"), Sum("points"), Sum("deduction"))
        .order_by()
        .values_list("member_id", "hours__sum", "points__sum", "deduction__sum")
    )
    return {member_id: tuple(sums) for member_id, *sums in rows}


def monthly_tally(*, year: int | None = None, month: int | None = None) -> int:
    """Every member's hours, points and deductions of the month (default: the one that just
    ended), from one aggregate over the ledger; members with nothing get zeros. Upserts, so
    running it again gives the same rows. Returns how many members were tallied."""
    year, month = _month_or_last(year, month)
    first, last = _month_bounds(year, month)
    sums = ledger_sums(CreditEntry.objects.filter(occurred_on__gte=first, occurred_on__lte=last))
    now = timezone.now()
    zero = (Decimal("0"), 0, 0)
    member_ids = Member.objects.order_by("pk").values_list("pk", flat=True)
    count = 0
    for batch in batches(member_ids.iterator(chunk_size=BATCH_SIZE)):
        rows = []
        for member_id in batch:
            hours, points, deduction = sums.get(member_id, zero)
            rows.append(
                MonthlyTally(
                    member_id=member_id,
                    year=year,
                    month=month,
                    hours=hours,
                    points=points,
                    deduction=deduction,
                    computed_at=now,
                )
            )
        MonthlyTally.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["member", "year", "month"],
            update_fields=["hours", "points", "deduction", "computed_at"],
        )
        count += len(rows)
    return count


# --- Quarterly publication --------------------------------------------------------------


def quarter_months(quarter: int) -> list[int]:
    return [3 * (quarter - 1) + offset for offset in (1, 2, 3)]


def quarter_publish(
    *, organization: Organization, year: int, quarter: int, user, note: str = ""
) -> QuarterlyPublication:
    """Publish the organisation's points for a quarter that has ended, once, and tell the
    members of its subtree (in the background, once the publication is saved)."""
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("The quarter is 1, 2, 3 or 4.")})
    last_day = _month_bounds(year, quarter_months(quarter)[-1])[1]
    if last_day >= timezone.localdate():
        raise ValidationError({"quarter": _("A quarter can be published once it has ended.")})
    publication = QuarterlyPublication(
        organization=organization, year=year, quarter=quarter, note=note, published_by=user
    )
    publication.full_clean(exclude=["published_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            publication.save()
    except IntegrityError:
        raise ValidationError(
            {"quarter": _("This quarter has already been published for this organisation.")}
        ) from None
    transaction.on_commit(lambda: _publication_notify_enqueue(publication.pk))
    return publication


def _publication_notify_enqueue(publication_id: int) -> None:
    from .tasks import publication_notify

    publication_notify.delay(publication_id)


def publication_notify(*, publication_id: int) -> None:
    """Tell the members of the organisation's subtree that the quarter's points are out;
    each once, however often this runs."""
    publication = (
        QuarterlyPublication.objects.select_related("organization")
        .filter(pk=publication_id)
        .first()
    )
    if publication is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Points of %(year)s, quarter %(quarter)s: %(organization)s") % {
            "year": publication.year,
            "quarter": publication.quarter,
            "organization": publication.organization.name,
        }
    notifications_send(
        recipient_ids=organization_member_user_ids(publication.organization),
        kind=Notification.Kind.PUBLISHED,
        title=title,
        body=publication.note,
        url=reverse("learning:publication", kwargs={"pk": publication.pk}),
        source_key=f"publication:{publication.pk}",
    )


@dataclass(frozen=True)
class PublicationRow:
    rank: int
    name: str
    branch: str
    host: str
    hours: Decimal
    points: int
    deduction: int


def publication_rows(*, publication: QuarterlyPublication) -> list[PublicationRow]:
    """Members whose origin or host is in the subtree, with the quarter's hours, points and
    deductions from the monthly tallies, most points first. Names and branches only."""
    path = publication.organization.path
    in_quarter = Q(
        monthly_tallies__year=publication.year,
        monthly_tallies__month__in=quarter_months(publication.quarter),
    )
    rows = (
        Member.objects.filter(Q(origin__path__startswith=path) | Q(host__path__startswith=path))
        .annotate(
            q_hours=Coalesce(Sum("monthly_tallies__hours", filter=in_quarter), Decimal("0")),
            q_points=Coalesce(Sum("monthly_tallies__points", filter=in_quarter), 0),
            q_deduction=Coalesce(Sum("monthly_tallies__deduction", filter=in_quarter), 0),
        )
        .order_by("-q_points", "-q_hours", "name", "pk")
        .values_list("name", "origin__name", "host__name", "q_hours", "q_points", "q_deduction")
    )
    return [
        PublicationRow(rank, name, branch, host or "", hours, points, deduction)
        for rank, (name, branch, host, hours, points, deduction) in enumerate(rows, start=1)
    ]


def publications_visible_to(user) -> QuerySet[QuarterlyPublication]:
    """Publications of the organisations the user keeps as org admin, and of those above the
    member's origin or host organisation."""
    publications = QuarterlyPublication.objects.select_related("organization")
    if not user.is_authenticated:
        return publications.none()
    query = Q(organization__in=organizations_managed_by(user))
    member = member_for_user(user)
    if member is not None:
        paths = ancestor_paths(member.origin) + ancestor_paths(member.host)
        query |= Q(organization__path__in=paths)
    return publications.filter(query)
