"""Whereabouts reports overdue (一月一更新): the daily check behind the content rules'
``whereabouts_overdue`` trigger.

The period is the calendar month. A floating member owes a report for month M when they
were floating before M began (or, floating since an unknown day, were registered before it);
a report for M that was not sent back settles it, whenever it was filed. From the day after
M's last day the report is overdue by ``today - last day of M`` days.

The check raises one event per (member, month), keyed ``whereabouts_overdue:<member>:<M>``,
every day the member is still overdue for M and some rule could still act on it. Each rule
runs once per event key, on the first day its conditions hold, so a rule on "days overdue at
least 7" runs on the seventh day (or the first check after it) and never again for that
month; a rerun, or a retried task, raises the same keys and runs nothing twice. Nothing is
raised while no enabled rule listens, before the smallest threshold of the listening rules,
for events every listening rule has already run for, or after the largest threshold plus
``CATCH_UP_DAYS`` (a check missed for a few days still reaches every rule).
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from portal.registry.models import Member
from portal.rules.events import rules_event
from portal.rules.models import Rule
from portal.rules.selectors import event_keys_done, number_floors
from portal.whereabouts.models import WhereaboutsReport

TRIGGER = "whereabouts_overdue"
NUMBER = "days_overdue"
CATCH_UP_DAYS = 7
BATCH_SIZE = 2000


def month_last_day(first: datetime.date) -> datetime.date:
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def overdue_key(member_id: int, first: datetime.date) -> str:
    return f"{TRIGGER}:{member_id}:{first:%Y-%m}"


def months_overdue(today: datetime.date, *, low: int, high: int) -> list[datetime.date]:
    """The months (their first days) whose report is overdue by ``low`` to ``high`` days."""
    months = []
    first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    while (today - month_last_day(first)).days <= high:
        if (today - month_last_day(first)).days >= low:
            months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return months


def members_owing(first: datetime.date):
    """Floating members who owed a report for month ``first`` and have not filed it."""
    began = datetime.datetime.combine(
        first, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    reported = (
        WhereaboutsReport.objects.filter(month=first)
        .exclude(status=WhereaboutsReport.Status.RETURNED)
        .values("member_id")
    )
    return (
        Member.objects.filter(floating_status=Member.FloatingStatus.FLOATING)
        .filter(Q(floating_since__lt=first) | Q(floating_since__isnull=True, created_at__lt=began))
        .exclude(pk__in=reported)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def whereabouts_overdue_raise(*, today: datetime.date | None = None) -> int:
    """Raise the overdue events that some listening rule may still act on; returns how many.
    Safe to run again the same day, or on a retry: the keys are the same."""
    today = today or timezone.localdate()
    rules = list(Rule.objects.enabled().filter(trigger=TRIGGER))
    if not rules:
        return 0
    floors = number_floors(rules, NUMBER)
    low = max(1, int(min(floors)))
    high = max(low, int(max(floors))) + CATCH_UP_DAYS
    raised = 0
    for first in months_overdue(today, low=low, high=high):
        owing = list(members_owing(first).iterator())
        for start in range(0, len(owing), BATCH_SIZE):
            keys = {overdue_key(pk, first): pk for pk in owing[start : start + BATCH_SIZE]}
            done = event_keys_done(rules, list(keys))
            for key, member_id in keys.items():
                if key in done:
                    continue
                rules_event(
                    TRIGGER,
                    event_key=key,
                    member_id=member_id,
                    month=first.isoformat(),
                    day=today.isoformat(),
                )
                raised += 1
    return raised
