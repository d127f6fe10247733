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
from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.models import Member, Organization

from ..models import StepProgress


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


def members_with_hours(
    *, organizations, today: datetime.date, members: QuerySet[Member] | None = None
) -> QuerySet[Member]:
    """Members of the subtrees, each annotated with ``hours`` credited this year until today.

    ``members`` narrows them to those a user keeps (``members_visible_to``): a host branch
    sees only the members its paired townships have living there."""
    this_year = Q(
        credit_entries__occurred_on__gte=datetime.date(today.year, 1, 1),
        credit_entries__occurred_on__lte=today,
    )
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=6, decimal_places=1))
    scope = members_in(organizations)
    if members is not None:
        scope = scope.filter(pk__in=members.values("pk"))
    return scope.annotate(hours=Coalesce(Sum("credit_entries__hours", filter=this_year), zero))


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
