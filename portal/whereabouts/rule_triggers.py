"""Whereabouts and lost-contact triggers of the content rules."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.registry.models import Member
from portal.rules.registry import Event, Trigger, trigger_register
from portal.rules.subjects import MEMBER_FIELDS, member_event, member_trigger_register
from portal.whereabouts.models import LostContact, WhereaboutsReport
from portal.whereabouts.overdue import NUMBER, TRIGGER, month_last_day


def _verified(report: WhereaboutsReport) -> dict:
    return {
        "title": _("Whereabouts report verified: %(city)s") % {"city": report.city},
        "link": reverse("whereabouts"),
        "values": {"city": report.city},
    }


def _lost(flag: LostContact) -> dict:
    days = (timezone.localdate() - flag.since).days
    return {
        "title": _("Lost contact: %(name)s") % {"name": flag.member.name},
        "values": {"days": str(days)},
        "numbers": {"days": days},
    }


def _overdue(*, event_key: str, member_id: int, month: str, day: str, **_context) -> Event | None:
    """Raised by ``overdue.whereabouts_overdue_raise`` with the month owed and the day of the
    check, so a retried task counts the same days."""
    member = Member.objects.select_related("origin").filter(pk=member_id).first()
    if member is None:
        return None
    first = datetime.date.fromisoformat(month)
    days = (datetime.date.fromisoformat(day) - month_last_day(first)).days
    return member_event(
        TRIGGER,
        event_key,
        member,
        title=_("Whereabouts report overdue: %(name)s, %(month)s")
        % {"name": member.name, "month": f"{first:%Y-%m}"},
        link=reverse("whereabouts"),
        values={"month": f"{first:%Y-%m}", NUMBER: str(days)},
        numbers={NUMBER: days},
    )


def register_whereabouts_triggers() -> None:
    trigger_register(
        Trigger(
            key=TRIGGER,
            label=gettext_lazy("a whereabouts report is overdue"),
            load=_overdue,
            fields=(*MEMBER_FIELDS, "month", NUMBER),
            numbers=(NUMBER,),
        )
    )
    member_trigger_register(
        key="whereabouts_verified",
        label=gettext_lazy("a whereabouts report is verified"),
        model=WhereaboutsReport,
        context_key="report_id",
        build=_verified,
        fields=("city",),
    )
    member_trigger_register(
        key="member_lost_contact",
        label=gettext_lazy("a member is flagged as lost contact"),
        model=LostContact,
        context_key="flag_id",
        build=_lost,
        fields=("days",),
        numbers=("days",),
    )
