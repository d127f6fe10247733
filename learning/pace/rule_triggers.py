"""The content rules' pace triggers, raised each week by ``services.pace_reminders_send``:

- "member behind the yearly pace", for every member behind, with the hours they have and
  should have, so a rule can tell their secretary or liaison once they are far enough behind
  (a threshold on ``hours_behind``);
- "members behind the yearly pace (weekly, by branch)", once per origin branch with members
  behind who have a login; its "member concerned" are all of them, which is how the built-in
  weekly reminder reaches members in one batched send per branch.
"""

import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import Member, Organization
from portal.rules.registry import Event, Trigger, trigger_register
from portal.rules.subjects import MEMBER_FIELDS, member_event

from .selectors import pace_target
from .services import MEMBER_TRIGGER as TRIGGER
from .services import RECORD_URL, WEEKLY_TRIGGER, members_behind_with_login


def _load(*, event_key: str, member_id: int, hours: str, target: str, **_context) -> Event | None:
    member = Member.objects.select_related("origin").filter(pk=member_id).first()
    if member is None:
        return None
    behind = float(target) - float(hours)
    return member_event(
        TRIGGER,
        event_key,
        member,
        title=_("Behind on this year's study hours: %(name)s") % {"name": member.name},
        link=RECORD_URL,
        values={"hours": hours, "target": target, "hours_behind": f"{behind:.1f}"},
        numbers={"hours_behind": behind},
    )


def _load_weekly(*, event_key: str, organization_id: int, day: str, **_context) -> Event | None:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return None
    today = datetime.date.fromisoformat(day)
    users = members_behind_with_login(organizations=[organization], today=today).filter(
        origin=organization
    )
    return Event(
        trigger=WEEKLY_TRIGGER,
        key=event_key,
        organization=organization,
        values={
            "title": _("You are behind on this year's study hours"),
            "organization": organization.name,
            "target": str(pace_target(today)),
            "yearly": f"{settings.LEARNING_YEARLY_HOURS:g}",
        },
        people={"member": frozenset(users.values_list("user_id", flat=True))},
        link=RECORD_URL,
    )


def register_pace_trigger() -> None:
    trigger_register(
        Trigger(
            key=WEEKLY_TRIGGER,
            label=gettext_lazy("members behind the yearly pace (weekly, by branch)"),
            load=_load_weekly,
            fields=("title", "organization", "target", "yearly"),
        )
    )
    trigger_register(
        Trigger(
            key=TRIGGER,
            label=gettext_lazy("a member is behind the yearly pace"),
            load=_load,
            fields=(*MEMBER_FIELDS, "hours", "target", "hours_behind"),
            numbers=("hours_behind",),
        )
    )
