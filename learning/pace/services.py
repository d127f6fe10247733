"""The weekly reminders to members behind pace on their yearly study hours (the member's own
reminder, batched here; what else happens is the content rules' ``member_behind_pace``)."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.inbox.services import notifications_send
from portal.models import Notification, Organization, Rule
from portal.rules.events import rules_event

from .selectors import members_behind_pace, pace_target

RECORD_URL = "/learning/record/"


def pace_week_key(today: datetime.date) -> str:
    year, week, _weekday = today.isocalendar()
    return f"pace:{year}-W{week:02d}"


def pace_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind every member behind pace who has a login, once per ISO week.

    Returns how many reminders were new; running it again in the same week sends none.
    """
    today = today or timezone.localdate()
    roots = list(Organization.get_root_nodes())
    recipients = list(
        members_behind_pace(organizations=roots, today=today)
        .filter(user__isnull=False, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    source_key = pace_week_key(today)
    already = Notification.objects.filter(source_key=source_key).count()
    target = pace_target(today)
    notifications_send(
        recipient_ids=recipients,
        kind=Notification.Kind.REMINDER,
        title=_("You are behind on this year's study hours"),
        body=_(
            "By now you should have about %(target)s of this year's %(yearly)s study hours. "
            "Open your record to see what is due next."
        )
        % {"target": target, "yearly": settings.LEARNING_YEARLY_HOURS},
        url=RECORD_URL,
        source_key=source_key,
    )
    _pace_events_raise(today=today, roots=roots, source_key=source_key, target=target)
    return Notification.objects.filter(source_key=source_key).count() - already


def _pace_events_raise(*, today: datetime.date, roots, source_key: str, target) -> None:
    """The content rules hear of each member behind, once a week, if any rule listens."""
    if not Rule.objects.enabled().filter(trigger="member_behind_pace").exists():
        return
    behind = members_behind_pace(organizations=roots, today=today).values_list("pk", "hours")
    for member_id, hours in behind.iterator():
        rules_event(
            "member_behind_pace",
            event_key=f"{source_key}:{member_id}",
            member_id=member_id,
            hours=str(hours),
            target=str(target),
        )
