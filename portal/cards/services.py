"""The activity certificate (流动党员活动证) and the contact card (党员联系卡): services that
write. What reads for the views is in ``portal.cards.selectors``.

Certificates are the origin side's: its org admins issue, renew and revoke them. Contact
cards are the host side's: the org admins of the member's host organisation record and
countersign activities and attest the year; the origin side reads them.

Certificate numbers read ``<county code>-<year>-<sequence>``, e.g. ``QX-2026-00017``: the code
of the county at the top of the member's origin tree, the year of issue, and a five-digit
sequence counted per county and year. The number is for people; the random verification
code (``ActivityCertificate.code``) is what the QR code and the public page use.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.cards.models import ActivityCertificate, ContactActivity, ContactCard
from portal.cards.selectors import contact_card_summary
from portal.registry.models import Member, Organization
from portal.whereabouts.services import member_contact_record

Status = ActivityCertificate.Status
Kind = ContactActivity.Kind
NUMBER_SEQUENCE_DIGITS = 5
# The attestation is issued at year end: from this day of December of the card's year.
ATTESTATION_FROM_DAY = 1


# --- Certificates -------------------------------------------------------------------------


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def certificate_expiry(issued_on: datetime.date) -> datetime.date:
    """The last day of validity: LEDGER_CERTIFICATE_YEARS years, less a day, after issue."""
    return _years_later(issued_on, settings.LEDGER_CERTIFICATE_YEARS) - datetime.timedelta(days=1)


def _county_locked(organization: Organization) -> Organization:
    """The county at the top of the tree, locked: numbers of one county are drawn one at a
    time (certificates are issued rarely, so the wait is short)."""
    root_path = organization.path[: Organization.steplen]
    return Organization.objects.select_for_update().only("code").get(path=root_path)


def certificate_number_next(*, organization: Organization, year: int) -> str:
    """The next number of the county and year (see the module docstring); call it in the
    transaction that saves the certificate, which holds the county's lock until commit."""
    prefix = f"{_county_locked(organization).code}-{year}-"
    last = (
        ActivityCertificate.objects.filter(number__startswith=prefix)
        .order_by(Length("number").desc(), "-number")  # 100000 sorts after 99999
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last[len(prefix) :]) if last and last[len(prefix) :].isdigit() else 0
    return f"{prefix}{sequence + 1:0{NUMBER_SEQUENCE_DIGITS}d}"


def _certificate_save(certificate: ActivityCertificate) -> ActivityCertificate:
    certificate.number = certificate_number_next(
        organization=certificate.issued_by, year=certificate.issued_on.year
    )
    certificate.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        # The member's lock makes this rare: another certificate came into force meanwhile.
        raise ValidationError(
            {"member": _("This member already holds a valid certificate.")}
        ) from None
    return certificate


def _certificate_new(
    *, member: Member, user, issued_on: datetime.date | None, replaces=None
) -> ActivityCertificate:
    issued_on = issued_on or timezone.localdate()
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("The date of issue cannot be in the future.")})
    certificate = ActivityCertificate(
        member=member,
        issued_by=member.origin,
        issued_on=issued_on,
        expires_on=certificate_expiry(issued_on),
        replaces=replaces,
        created_by=user,
    )
    return _certificate_save(certificate)


@transaction.atomic
def certificate_issue(
    *, member: Member, user, issued_on: datetime.date | None = None
) -> ActivityCertificate:
    """A first certificate for a floating member who holds no valid one."""
    member = (
        Member.objects.select_for_update(of=("self",)).select_related("origin").get(pk=member.pk)
    )
    if member.floating_status != Member.FloatingStatus.FLOATING:
        raise ValidationError({"member": _("Certificates are issued to floating members only.")})
    if ActivityCertificate.objects.filter(member=member, status=Status.VALID).exists():
        raise ValidationError(
            {"member": _("This member already holds a certificate: renew it instead.")}
        )
    return _certificate_new(member=member, user=user, issued_on=issued_on)


def _locked(certificate: ActivityCertificate) -> ActivityCertificate:
    return (
        ActivityCertificate.objects.select_for_update(of=("self",))
        .select_related("member", "member__origin")
        .get(pk=certificate.pk)
    )


@transaction.atomic
def certificate_renew(
    *, certificate: ActivityCertificate, user, issued_on: datetime.date | None = None
) -> ActivityCertificate:
    """A new certificate replacing ``certificate`` (valid or expired), which is marked renewed."""
    old = _locked(certificate)
    if old.status != Status.VALID:
        raise ValidationError({"status": _("Only a valid or expired certificate can be renewed.")})
    old.status = Status.RENEWED
    old.save(update_fields=["status"])
    return _certificate_new(member=old.member, user=user, issued_on=issued_on, replaces=old)


@transaction.atomic
def certificate_revoke(*, certificate: ActivityCertificate, reason: str) -> ActivityCertificate:
    """Withdraw a certificate, with the reason; it then checks as revoked."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"revoke_reason": _("Say why the certificate is revoked.")})
    old = _locked(certificate)
    if old.status != Status.VALID:
        raise ValidationError({"status": _("This certificate is no longer in force.")})
    old.status = Status.REVOKED
    old.revoked_on = timezone.localdate()
    old.revoke_reason = reason
    old.full_clean(validate_unique=False, validate_constraints=False)
    old.save(update_fields=["status", "revoked_on", "revoke_reason"])
    return old


# --- Contact cards ------------------------------------------------------------------------


def contact_card_open(*, member: Member, year: int) -> ContactCard:
    """The member's card of ``year``, made at the member's present host organisation."""
    card = ContactCard.objects.filter(member=member, year=year).first()
    if card is not None:
        return card
    if member.host_id is None:
        raise ValidationError(
            {"member": _("The member has no host organisation to keep a contact card.")}
        )
    card = ContactCard(member=member, year=year, host_id=member.host_id)
    card.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            card.save()
    except IntegrityError:  # opened at the same moment elsewhere
        card = ContactCard.objects.get(member=member, year=year)
    return card


def _card_writable(card: ContactCard) -> None:
    if card.attested_at is not None:
        raise ValidationError(
            _("The year's attestation has been issued: the card can no longer change.")
        )


def _activity_check(activity: ContactActivity) -> None:
    errors = {}
    if activity.held_on and activity.held_on.year != activity.card.year:
        errors["held_on"] = _("The date must fall in the card's year.")
    elif activity.held_on and activity.held_on > timezone.localdate():
        errors["held_on"] = _("The date cannot be in the future.")
    if activity.kind == Kind.VOLUNTEER and not activity.volunteer_hours:
        errors["volunteer_hours"] = _("Give the hours of volunteer service.")
    elif activity.kind != Kind.VOLUNTEER and activity.volunteer_hours:
        errors["volunteer_hours"] = _("Hours are recorded for volunteer service only.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contact_activity_record(
    *,
    card: ContactCard,
    kind: str,
    held_on: datetime.date,
    description: str,
    user,
    volunteer_hours: Decimal | None = None,
    countersign: bool = False,
) -> ContactActivity:
    """An activity entered on the card; countersigned at once when the recorder is the
    secretary and says so, otherwise waiting for a secretary's countersignature."""
    card = ContactCard.objects.select_for_update().get(pk=card.pk)
    _card_writable(card)
    activity = ContactActivity(
        card=card,
        kind=kind,
        held_on=held_on,
        description=(description or "").strip(),
        volunteer_hours=volunteer_hours or None,
        recorded_by=user,
    )
    # Who recorded is the service's to set (a user deleted later leaves it empty).
    activity.full_clean(exclude=["recorded_by"], validate_constraints=False)
    _activity_check(activity)
    activity.save()
    if countersign:
        _countersign(activity, user)
    return activity


def contact_activity_propose(
    *,
    member: Member,
    kind: str,
    held_on: datetime.date,
    description: str,
    volunteer_hours: Decimal | None = None,
) -> ContactActivity:
    """The member's own entry from the phone, on the card of that year, for the host
    secretary to countersign."""
    if held_on is None:
        raise ValidationError({"held_on": _("Give the date of the activity.")})
    with transaction.atomic():
        card = contact_card_open(member=member, year=held_on.year)
        return contact_activity_record(
            card=card,
            kind=kind,
            held_on=held_on,
            description=description,
            volunteer_hours=volunteer_hours,
            user=member.user,
        )


def _countersign(activity: ContactActivity, user) -> None:
    activity.countersigned_by = user
    activity.countersigned_at = timezone.now()
    activity.save(update_fields=["countersigned_by", "countersigned_at"])
    member_contact_record(member=activity.card.member, on=activity.held_on, user=user)


@transaction.atomic
def contact_activity_countersign(*, activity: ContactActivity, user) -> ContactActivity:
    """The host secretary signs an entry; it then counts, and counts as contact."""
    activity = (
        # The card too: an attestation waits for this signature, or this for the attestation.
        ContactActivity.objects.select_for_update(of=("self", "card"))
        .select_related("card", "card__member")
        .get(pk=activity.pk)
    )
    _card_writable(activity.card)
    if activity.countersigned_at is not None:
        raise ValidationError(_("This activity has already been countersigned."))
    _countersign(activity, user)
    return activity


@transaction.atomic
def contact_activity_reject(*, activity: ContactActivity) -> None:
    """Remove an entry nobody has countersigned (a proposal that did not happen)."""
    activity = (
        ContactActivity.objects.select_for_update(of=("self", "card"))
        .select_related("card")
        .get(pk=activity.pk)
    )
    _card_writable(activity.card)
    if activity.countersigned_at is not None:
        raise ValidationError(_("A countersigned activity cannot be removed."))
    activity.delete()


def _attestation(card: ContactCard, user) -> dict:
    summary = contact_card_summary(card)
    return {
        "member": card.member.name,
        "origin": card.member.origin.name,
        "host": card.host.name,
        "year": card.year,
        "counts": {kind: summary.counts.get(kind, 0) for kind in Kind.values},
        "total": summary.total,
        "volunteer_hours": str(summary.volunteer_hours),
        "attested_by": user.get_full_name() or user.get_username(),
    }


@transaction.atomic
def contact_card_attest(*, card: ContactCard, user) -> ContactCard:
    """The year-end activity attestation (活动认证书): the summary frozen, with who and when.

    Issued from 1 December of the card's year, once, when no entry waits to be signed.
    """
    card = (
        ContactCard.objects.select_for_update(of=("self",))
        .select_related("member__origin", "host")
        .get(pk=card.pk)
    )
    _card_writable(card)
    if timezone.localdate() < datetime.date(card.year, 12, ATTESTATION_FROM_DAY):
        raise ValidationError(_("The attestation is issued at year end, from 1 December."))
    if card.activities.filter(countersigned_at__isnull=True).exists():
        raise ValidationError(_("Countersign or remove the activities still waiting first."))
    card.attestation = _attestation(card, user)
    card.attested_by = user
    card.attested_at = timezone.now()
    card.save(update_fields=["attestation", "attested_by", "attested_at"])
    return card


@transaction.atomic
def contact_activity_withdraw(*, activity: ContactActivity) -> None:
    """Remove a line another record wrote (a meeting's attendance corrected to absent), while
    the card's year is still open."""
    activity = (
        ContactActivity.objects.select_for_update(of=("self", "card"))
        .select_related("card")
        .get(pk=activity.pk)
    )
    _card_writable(activity.card)
    activity.delete()
