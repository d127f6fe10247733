"""Whereabouts (流动去向) and lost contact (失联): what views read, scoped to who asks."""

from django.db.models import QuerySet

from portal.registry.models import Member
from portal.registry.selectors import members_kept_at_origin, members_visible_to
from portal.whereabouts.models import LostContact, WhereaboutsReport


def whereabouts_history(member: Member) -> QuerySet[WhereaboutsReport]:
    """The member's own reports, newest month first."""
    return member.whereabouts_reports.select_related("host")


def whereabouts_form_initial(member: Member) -> dict:
    """What the phone form starts from: the newest report, else the ledger row."""
    latest = whereabouts_history(member).first()
    source = latest or member
    return {
        "city": latest.city if latest else member.host_city,
        "employer": source.employer,
        "address": source.address,
        "phone": source.phone,
        "host": source.host_id,
    }


def whereabouts_reports_for_verifier(user) -> QuerySet[WhereaboutsReport]:
    """Reports of the members whose origin branch the user keeps: only the origin side
    verifies or sends back."""
    return WhereaboutsReport.objects.filter(member__in=members_kept_at_origin(user)).select_related(
        "member", "member__origin", "host", "reported_by", "verified_by"
    )


def lost_contacts_for(user) -> QuerySet[LostContact]:
    """Flags of the members the user keeps, on either side of dual management."""
    return LostContact.objects.filter(member__in=members_visible_to(user)).select_related(
        "member", "member__origin", "member__host", "cleared_by"
    )
