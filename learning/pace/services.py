"""The weekly reminders to members behind pace on their yearly study hours.

The reminder itself is a content rule (the built-in ``pace_reminder`` on the trigger
``members_behind_pace_weekly``): switching it off stops it, editing its message changes what
members read, and it may be switched off below an organisation. This service raises that
trigger once a week for each origin branch with members behind who have a login (one event,
one task and one batched send per branch, however many members it has), and, while some rule
listens, ``member_behind_pace`` for each member behind (what else should happen to them).
"""

import datetime

from django.utils import timezone

from portal.models import Organization, Rule
from portal.rules.events import rules_event

from .selectors import members_behind_pace, pace_target

RECORD_URL = "/learning/record/"
WEEKLY_TRIGGER = "members_behind_pace_weekly"
MEMBER_TRIGGER = "member_behind_pace"


def pace_week_key(today: datetime.date) -> str:
    year, week, _weekday = today.isocalendar()
    return f"pace:{year}-W{week:02d}"


def _listening(trigger: str) -> bool:
    return Rule.objects.enabled().filter(trigger=trigger).exists()


def members_behind_with_login(*, organizations, today: datetime.date):
    return members_behind_pace(organizations=organizations, today=today).filter(
        user__isnull=False, user__is_active=True
    )


def pace_reminders_send(*, today: datetime.date | None = None) -> int:
    """Raise this week's pace events; returns for how many branches the weekly reminder was
    raised. Running it again in the same ISO week raises the same keys, so no rule runs twice
    for a branch or member and nobody is reminded twice."""
    today = today or timezone.localdate()
    roots = list(Organization.get_root_nodes())
    source_key = pace_week_key(today)
    branches = []
    if _listening(WEEKLY_TRIGGER):
        branches = sorted(
            set(
                members_behind_with_login(organizations=roots, today=today)
                .order_by()
                .values_list("origin_id", flat=True)
            )
        )
    for organization_id in branches:
        rules_event(
            WEEKLY_TRIGGER,
            event_key=f"{source_key}:branch:{organization_id}",
            organization_id=organization_id,
            day=today.isoformat(),
        )
    _pace_events_raise(today=today, roots=roots, source_key=source_key, target=pace_target(today))
    return len(branches)


def _pace_events_raise(*, today: datetime.date, roots, source_key: str, target) -> None:
    """The content rules hear of each member behind, once a week, if any rule listens."""
    if not _listening(MEMBER_TRIGGER):
        return
    behind = members_behind_pace(organizations=roots, today=today).values_list("pk", "hours")
    for member_id, hours in behind.iterator():
        rules_event(
            MEMBER_TRIGGER,
            event_key=f"{source_key}:{member_id}",
            member_id=member_id,
            hours=str(hours),
            target=str(target),
        )
