"""The content rules' "member behind the yearly pace" trigger: raised each week for every
member behind, with the hours they have and should have, so a rule can tell their secretary
or liaison once they are far enough behind (a threshold on ``hours_behind``)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import Member
from portal.rules.registry import Event, Trigger, trigger_register
from portal.rules.subjects import MEMBER_FIELDS, member_event

from .services import RECORD_URL

TRIGGER = "member_behind_pace"


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


def register_pace_trigger() -> None:
    trigger_register(
        Trigger(
            key=TRIGGER,
            label=gettext_lazy("a member is behind the yearly pace"),
            load=_load,
            fields=(*MEMBER_FIELDS, "hours", "target", "hours_behind"),
            numbers=("hours_behind",),
        )
    )
