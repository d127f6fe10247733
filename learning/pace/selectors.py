"""Members behind pace on their yearly study hours, and participation by branch.

A member is on pace when the hours credited to them this year (learning.models.CreditEntry,
reversals included) reach LEARNING_YEARLY_HOURS times the share of the year gone by. Every
figure is computed by a few grouped queries over the whole subtree, never member by member,
so a county of 100,000 members costs the same handful of queries as a village.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.models import Member, Organization

from ..models import CreditEntry, StepProgress

HOURS_FIELD = DecimalField(max_digits=7, decimal_places=1)


def pace_target(today: datetime.date) -> Decimal:
    """The hours a member should have by the end of ``today``."""
    start = datetime.date(today.year, 1, 1)
    days_in_year = (datetime.date(today.year + 1, 1, 1) - start).days
    share = Decimal((today - start).days + 1) / Decimal(days_in_year)
    hours = Decimal(str(settings.LEARNING_YEARLY_HOURS)) * share
    return hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _subtree_q(organizations, prefix: str = "") -> Q:
    query = Q()
    for organization in organizations:
        query |= Q(**{f"{prefix}origin__path__startswith": organization.path})
        query |= Q(**{f"{prefix}host__path__startswith": organization.path})
    return query


def members_in(organizations) -> QuerySet[Member]:
    """Members whose origin or host organisation lies in one of the subtrees."""
    query = _subtree_q(organizations)
    return Member.objects.filter(query) if query else Member.objects.none()


def _hours_this_year(today: datetime.date) -> Coalesce:
    """The hours credited to the member (``OuterRef("pk")``) this year until ``today``.

    A subquery rather than a join: a grouped count over the members (the hour distribution)
    must count each member once, not once per ledger entry."""
    entries = (
        CreditEntry.objects.filter(
            member=OuterRef("pk"),
            occurred_on__gte=datetime.date(today.year, 1, 1),
            occurred_on__lte=today,
        )
        .order_by()
        .values("member")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return Coalesce(
        Subquery(entries, output_field=HOURS_FIELD), Value(Decimal("0")), output_field=HOURS_FIELD
    )


def members_with_hours(
    *, organizations, today: datetime.date, members: QuerySet[Member] | None = None
) -> QuerySet[Member]:
    """Members of the subtrees, each annotated with ``hours`` credited this year until today.

    ``members`` narrows them to those a user keeps (``members_visible_to``): a host branch
    sees only the members its paired townships have living there."""
    scope = members_in(organizations)
    if members is not None:
        scope = scope.filter(pk__in=members.values("pk"))
    return scope.annotate(hours=_hours_this_year(today))


@dataclass(frozen=True)
class HourBucket:
    """Members whose hours this year are at least ``lower`` and less than ``upper`` (``None``
    leaves a side open); the first bucket holds 0 or less, so the second starts above 0."""

    label: str
    lower: Decimal | None
    upper: Decimal | None
    count: int = 0


def hour_buckets(yearly: float) -> list[HourBucket]:
    """Nothing yet (0 or less: reversals may cancel credit), four quarters of the yearly
    target, and the target reached."""
    target = Decimal(str(yearly))
    quarter = target / 4
    edges = [quarter * step for step in range(5)]
    buckets = [HourBucket("0", None, Decimal("0"))]
    for lower, upper in zip(edges, edges[1:], strict=False):
        buckets.append(HourBucket(f"{float(lower):g}–{float(upper):g}", lower, upper))
    buckets.append(HourBucket(f"≥{float(target):g}", target, None))
    return buckets


def hour_distribution(
    *, organizations, today: datetime.date, members: QuerySet[Member] | None = None
) -> list[HourBucket]:
    """How many members of the subtrees have how many hours this year: one grouped query,
    each member counted once, in exactly one bucket."""
    buckets = hour_buckets(settings.LEARNING_YEARLY_HOURS)
    whens = [When(hours__lte=0, then=Value(0))]
    whens += [
        When(hours__lt=bucket.upper, then=Value(index))
        for index, bucket in enumerate(buckets[1:-1], start=1)
    ]
    index = Case(*whens, default=Value(len(buckets) - 1), output_field=IntegerField())
    scope = members_with_hours(organizations=organizations, today=today, members=members)
    counts = dict(
        scope.annotate(bucket=index).order_by().values_list("bucket").annotate(n=Count("pk"))
    )
    return [
        HourBucket(bucket.label, bucket.lower, bucket.upper, counts.get(position, 0))
        for position, bucket in enumerate(buckets)
    ]


def members_behind_pace(
    *,
    organizations,
    today: datetime.date | None = None,
    members: QuerySet[Member] | None = None,
) -> QuerySet[Member]:
    """Members of the subtrees (of ``members``, if given) whose hours this year fall short of
    the pace, fewest first."""
    today = today or timezone.localdate()
    return (
        members_with_hours(organizations=organizations, today=today, members=members)
        .filter(hours__lt=pace_target(today))
        .order_by("hours", "origin__path", "name", "pk")
    )


@dataclass
class BranchParticipation:
    organization: Organization
    members: int
    active: int

    @property
    def share(self) -> float:
        return self.active / self.members if self.members else 0.0


def _counts(members: QuerySet[Member], field: str, month_start: datetime.datetime):
    totals = dict(members.values_list(field).annotate(n=Count("pk")).order_by())
    done = Q(step_progress__completed_at__gte=month_start)
    active = dict(
        members.filter(done).values_list(field).annotate(n=Count("pk", distinct=True)).order_by()
    )
    return totals, active


def participation_by_branch(
    *,
    organizations,
    today: datetime.date | None = None,
    members: QuerySet[Member] | None = None,
) -> list[BranchParticipation]:
    """Per branch, the members and those who completed any step this month.

    A member counts at their origin branch if it lies in the subtrees, otherwise at their
    host branch (a host secretary sees the members hosted there).
    """
    today = today or timezone.localdate()
    month_start = timezone.make_aware(datetime.datetime(today.year, today.month, 1))
    origin_inside = Q()
    for organization in organizations:
        origin_inside |= Q(origin__path__startswith=organization.path)
    scope = members_in(organizations)
    if members is not None:
        scope = scope.filter(pk__in=members.values("pk"))
    members = scope
    if not origin_inside:
        return []
    by_origin = _counts(members.filter(origin_inside), "origin_id", month_start)
    by_host = _counts(members.exclude(origin_inside), "host_id", month_start)
    rows: dict[int, list[int]] = {}
    for totals, active in (by_origin, by_host):
        for organization_id, count in totals.items():
            row = rows.setdefault(organization_id, [0, 0])
            row[0] += count
            row[1] += active.get(organization_id, 0)
    branches = Organization.objects.in_bulk(list(rows))
    result = [
        BranchParticipation(organization=branches[pk], members=total, active=active)
        for pk, (total, active) in rows.items()
    ]
    return sorted(result, key=lambda row: row.organization.path)


def active_member_count(*, organizations, since: datetime.datetime) -> int:
    return (
        StepProgress.objects.filter(_subtree_q(organizations, "member__"), completed_at__gte=since)
        .values("member_id")
        .distinct()
        .count()
    )
