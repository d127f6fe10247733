"""The 12-point deduction "whereabouts not reported" (未按月报告流动去向).

A source for ``deductions.deductions_apply``, registered in ``LearningConfig.ready``. It reads
the whereabouts ledger in portal (learning may import portal, not the other way round).

An organisation opts in with a DeductionRule of kind WHEREABOUTS: its marks are what a
missed month costs, its grace days how long a member may go without a report. A floating
member under such a rule misses month M when they filed no report for M and no report in
the grace days before M's last day; a report sent back does not count (it asks for a new
one). A member floating for less than the grace days by then owes nothing yet.
"""

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.models import Member, Organization, WhereaboutsReport

from ..models import Deduction, DeductionRule
from .deductions import DeductionDue, deduction_source_register


def _rules() -> dict[str, int]:
    """Grace days by the path of the organisation that set a whereabouts rule."""
    return dict(
        DeductionRule.objects.filter(kind=Deduction.WHEREABOUTS).values_list(
            "organization__path", "grace_days"
        )
    )


def _nearest_grace(rules: dict[str, int], origin_path: str) -> int | None:
    step = Organization.steplen
    paths = [origin_path[:end] for end in range(len(origin_path), 0, -step)]
    return next((rules[path] for path in paths if path in rules), None)


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _reported(
    first: datetime.date, last: datetime.date, since: datetime.date
) -> tuple[set[int], dict[int, datetime.date]]:
    """Members who reported for the month, and each member's latest report date between
    ``since`` and the month's ``last`` day (a later report does not excuse this month)."""
    counted = WhereaboutsReport.objects.exclude(status=WhereaboutsReport.Status.RETURNED)
    for_month = set(counted.filter(month=first).values_list("member_id", flat=True))
    window = counted.filter(
        reported_at__gte=_midnight(since),
        reported_at__lt=_midnight(last + datetime.timedelta(days=1)),
    )
    latest: dict[int, datetime.date] = {}
    for member_id, at in window.values_list("member_id", "reported_at"):
        day = timezone.localdate(at)
        latest[member_id] = max(day, latest.get(member_id, day))
    return for_month, latest


def whereabouts_unreported(first: datetime.date, last: datetime.date) -> Iterator[DeductionDue]:
    """Floating members under a whereabouts rule who did not report for the month."""
    rules = _rules()
    if not rules:
        return
    for_month, latest = _reported(first, last, last - datetime.timedelta(days=max(rules.values())))
    with translation.override(settings.LANGUAGE_CODE):
        description = _("Whereabouts not reported for %(month)s") % {"month": f"{first:%Y-%m}"}
    key = f"deduction:whereabouts:{first:%Y-%m}"
    under_rules = Q(pk__in=[])
    for path in rules:
        under_rules |= Q(origin__path__startswith=path)
    members = Member.objects.filter(
        under_rules, floating_status=Member.FloatingStatus.FLOATING
    ).values_list("pk", "origin__path", "floating_since")
    for pk, origin_path, floating_since in members.iterator():
        grace = _nearest_grace(rules, origin_path)
        if grace is None or pk in for_month:
            continue
        due_from = last - datetime.timedelta(days=grace)
        if (floating_since and floating_since > due_from) or latest.get(pk, due_from) > due_from:
            continue
        yield DeductionDue(pk, origin_path, key, last, description)


def register() -> None:
    deduction_source_register(Deduction.WHEREABOUTS, whereabouts_unreported)
