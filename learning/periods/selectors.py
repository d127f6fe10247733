"""Reading the periods of the record: months and quarters, the ledger's sums per member,
and the quarterly publication (季公示) as the members it lists read it."""

import calendar
import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.models import Member, Organization
from portal.registry.selectors import member_for_user, organizations_managed_by

from ..models import CreditEntry, QuarterlyPublication
from ..tracks.selectors import ancestor_paths

BATCH_SIZE = 5000


def batches(items: Iterable, size: int = BATCH_SIZE) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def month_or_last(year: int | None, month: int | None) -> tuple[int, int]:
    """The given month, or the one that just ended in the site's time zone."""
    if year and month:
        return year, month
    last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return last.year, last.month


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
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


def ledger_sums(entries: QuerySet[CreditEntry]) -> dict[int, tuple[Decimal, int, int]]:
    """member id → (hours, points, deduction) of the entries, in one grouped query."""
    rows = (
        entries.values("member_id")
        .annotate(Sum("hours"), Sum("points"), Sum("deduction"))
        .order_by()
        .values_list("member_id", "hours__sum", "points__sum", "deduction__sum")
    )
    return {member_id: tuple(sums) for member_id, *sums in rows}


def quarter_months(quarter: int) -> list[int]:
    return [3 * (quarter - 1) + offset for offset in (1, 2, 3)]


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
