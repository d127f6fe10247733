"""Whereabouts (流动去向) and lost contact (失联): services that write.

A member's report is history: every report is its own row and its values are never
overwritten; verifying or sending it back only changes its status. The values reach the
ledger (the Member row) when the origin branch verifies the report, because the ledger shows
what the branch has confirmed. Filing a report counts as contact on the day it is filed, so a
member who reports is never flagged lost, whether or not the report is verified yet.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.registry import services
from portal.registry.identity import phone_normalize
from portal.registry.models import Member, Organization
from portal.rules.events import rules_event
from portal.whereabouts.models import LostContact, WhereaboutsReport

# The values a verified report writes to the member's row: report field → member field.
LEDGER_FIELDS = {
    "city": "host_city",
    "employer": "employer",
    "address": "address",
    "phone": "phone",
    "host": "host",
}
FLAG_BATCH_SIZE = 5000


# --- Contact --------------------------------------------------------------------------


def member_contact_record(*, member: Member, on: datetime.date, user=None) -> None:
    """Record that the branch heard from ``member`` on ``on``.

    ``last_contact_on`` only moves forward (a contact entered late never turns the clock
    back), and an open lost-contact flag raised before ``on`` is cleared by ``user``.
    """
    with transaction.atomic():
        # One conditional UPDATE keeps the maximum right when two contacts arrive at once.
        Member.objects.filter(pk=member.pk).filter(
            Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=on)
        ).update(last_contact_on=on)
        LostContact.objects.filter(member=member, cleared_on__isnull=True, since__lte=on).update(
            cleared_on=on, cleared_by=user
        )
    if member.last_contact_on is None or member.last_contact_on < on:
        member.last_contact_on = on


# --- Reports --------------------------------------------------------------------------


def _phone_taken(*, phone: str, member: Member) -> bool:
    return Member.objects.filter(phone=phone).exclude(pk=member.pk).exists()


def _phone_taken_error() -> ValidationError:
    return ValidationError({"phone": _("Another member already has this phone number.")})


def _report_check(report: WhereaboutsReport) -> None:
    report.full_clean(exclude=["member", "reported_by"])
    if report.month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": _("The month cannot be in the future.")})
    if report.host_id and not report.host.is_host:
        raise ValidationError(
            {"host": _("The host organisation must be a host-side organisation.")}
        )
    # No check of the phone against other members here: the member (or a secretary filing
    # for them) would learn whose number is registered. Verification, which writes the
    # ledger's unique phone, refuses a clash.


def whereabouts_report_submit(
    *,
    member: Member,
    city: str,
    address: str,
    phone: str,
    employer: str = "",
    host: Organization | None = None,
    month: datetime.date | None = None,
    reported_by=None,
) -> WhereaboutsReport:
    """File a report for ``month`` (default: this month), by the member or a secretary on
    their behalf. It awaits the origin branch's verification and counts as contact today."""
    today = timezone.localdate()
    report = WhereaboutsReport(
        member=member,
        month=(month or today).replace(day=1),
        city=city.strip(),
        employer=employer.strip(),
        address=address.strip(),
        phone=phone_normalize(phone),
        host=host,
        reported_by=reported_by,
    )
    _report_check(report)
    with transaction.atomic():
        report.save()
        member_contact_record(member=member, on=today, user=reported_by)
    return report


def _awaiting(report: WhereaboutsReport) -> WhereaboutsReport:
    """The report locked for the decision, refused when it was already decided."""
    locked = WhereaboutsReport.objects.select_for_update().get(pk=report.pk)
    if locked.status != WhereaboutsReport.Status.SUBMITTED:
        raise ValidationError({"status": _("This report has already been verified or sent back.")})
    return locked


def _is_newest_verified(report: WhereaboutsReport) -> bool:
    """No verified report of the member is newer, so verifying an old report late never
    puts stale values on the ledger."""
    newer = WhereaboutsReport.objects.filter(
        member_id=report.member_id, status=WhereaboutsReport.Status.VERIFIED
    ).filter(Q(month__gt=report.month) | Q(month=report.month, reported_at__gt=report.reported_at))
    return not newer.exists()


def _ledger_apply(report: WhereaboutsReport) -> None:
    member = Member.objects.select_for_update().get(pk=report.member_id)
    if _phone_taken(phone=report.phone, member=member):
        raise _phone_taken_error()
    data = {target: getattr(report, source) for source, target in LEDGER_FIELDS.items()}
    try:
        with transaction.atomic():  # a savepoint: a clash leaves the outer work usable
            services.member_update(member=member, data=data)
    except IntegrityError as exc:  # the same phone saved by someone else meanwhile
        raise _phone_taken_error() from exc


def whereabouts_report_verify(*, report: WhereaboutsReport, user) -> WhereaboutsReport:
    """The origin branch confirms the report; its values become the member's ledger row,
    all in one transaction: a clash (the phone of another member) changes nothing."""
    with transaction.atomic():
        locked = _awaiting(report)
        if _is_newest_verified(locked):
            _ledger_apply(locked)
        locked.status = WhereaboutsReport.Status.VERIFIED
        locked.verified_at = timezone.now()
        locked.verified_by = user
        locked.save(update_fields=["status", "verified_at", "verified_by"])
        rules_event(
            "whereabouts_verified",
            event_key=f"whereabouts_verified:{locked.pk}",
            report_id=locked.pk,
        )
    return locked


def whereabouts_report_return(*, report: WhereaboutsReport, user, reason: str) -> WhereaboutsReport:
    """Send the report back to the member with the reason; the ledger is not touched.
    ``verified_at`` / ``verified_by`` record who decided, either way."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"return_reason": _("Say why the report is sent back.")})
    with transaction.atomic():
        locked = _awaiting(report)
        locked.status = WhereaboutsReport.Status.RETURNED
        locked.return_reason = reason
        locked.verified_at = timezone.now()
        locked.verified_by = user
        locked.full_clean(exclude=["member", "host", "reported_by", "verified_by"])
        locked.save(update_fields=["status", "return_reason", "verified_at", "verified_by"])
    return locked


# --- Lost contact ---------------------------------------------------------------------


def _lost_candidates(cutoff: datetime.date):
    """Floating members last heard of before ``cutoff`` (never heard of: since they started
    floating, or since they were registered), who have no open flag."""
    cutoff_at = datetime.datetime.combine(
        cutoff, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    open_flags = LostContact.objects.filter(cleared_on__isnull=True).values("member_id")
    silent = (
        Q(last_contact_on__lt=cutoff)
        | Q(last_contact_on__isnull=True, floating_since__lt=cutoff)
        | Q(last_contact_on__isnull=True, floating_since__isnull=True, created_at__lt=cutoff_at)
    )
    return (
        Member.objects.filter(silent, floating_status=Member.FloatingStatus.FLOATING)
        .exclude(pk__in=open_flags)
        .values_list("pk", "last_contact_on", "floating_since", "created_at")
        .order_by("pk")
    )


def lost_contacts_flag(*, today: datetime.date | None = None) -> int:
    """Flag every floating member out of contact for ``LEDGER_LOST_CONTACT_DAYS``; returns
    how many flags are new. Safe to run twice: one open flag per member (a DB constraint)."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.LEDGER_LOST_CONTACT_DAYS)
    before = LostContact.objects.filter(cleared_on__isnull=True).count()
    flags = [
        LostContact(
            member_id=pk,
            since=last or floating_since or timezone.localdate(created_at),
            flagged_on=today,
        )
        for pk, last, floating_since, created_at in _lost_candidates(cutoff).iterator()
    ]
    # Conflicts: a flag raised meanwhile by another run; the partial unique index keeps one.
    LostContact.objects.bulk_create(flags, batch_size=FLAG_BATCH_SIZE, ignore_conflicts=True)
    _lost_contacts_announce(today=today, member_ids=[flag.member_id for flag in flags])
    return LostContact.objects.filter(cleared_on__isnull=True).count() - before


def _lost_contacts_announce(*, today: datetime.date, member_ids: list[int]) -> None:
    """The content rules hear of each flag raised today (a rerun raises the same keys)."""
    for start in range(0, len(member_ids), FLAG_BATCH_SIZE):
        raised = LostContact.objects.filter(
            member_id__in=member_ids[start : start + FLAG_BATCH_SIZE],
            flagged_on=today,
            cleared_on__isnull=True,
        ).values_list("pk", flat=True)
        for pk in raised:
            rules_event("member_lost_contact", event_key=f"lost_contact:{pk}", flag_id=pk)


def lost_contact_clear(*, flag: LostContact, user, note: str) -> LostContact:
    """A secretary reached the member: the flag is closed with the note, and today counts
    as contact (otherwise the next daily run would raise the flag again)."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say how the member was reached.")})
    today = timezone.localdate()
    with transaction.atomic():
        locked = LostContact.objects.select_for_update().get(pk=flag.pk)
        if locked.cleared_on is not None:
            raise ValidationError({"note": _("This flag has already been cleared.")})
        locked.note, locked.cleared_on, locked.cleared_by = note, today, user
        locked.full_clean(exclude=["member", "cleared_by"])
        locked.save(update_fields=["note", "cleared_on", "cleared_by"])
        member_contact_record(member=locked.member, on=today, user=user)
    return locked
