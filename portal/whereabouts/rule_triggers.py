"""Whereabouts and lost-contact triggers of the content rules."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.rules.subjects import member_trigger_register
from portal.whereabouts.models import LostContact, WhereaboutsReport


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


def register_whereabouts_triggers() -> None:
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
