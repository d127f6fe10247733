"""The activity certificate (流动党员活动证) and the contact card (党员联系卡): selectors that
read for the views, exports and other apps, always scoped to who is asking. What writes is in
``portal.cards.services``.

Certificates are the origin side's: its org admins read the certificates of the members they
keep. Contact cards are the host side's, who keep them; the origin side reads them.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from portal.cards.models import (
    VERIFICATION_ALPHABET,
    VERIFICATION_LENGTH,
    ActivityCertificate,
    ContactActivity,
    ContactCard,
)
from portal.registry.identity import mask_name
from portal.registry.models import Member
from portal.registry.selectors import members_visible_to, organizations_managed_by

Status = ActivityCertificate.Status
Kind = ContactActivity.Kind


# --- Certificates -------------------------------------------------------------------------


def certificate_state(certificate: ActivityCertificate, today: datetime.date | None = None) -> str:
    """valid, expired, renewed or revoked: the stored status, with expiry read from the date."""
    today = today or timezone.localdate()
    if certificate.status == Status.VALID and certificate.expires_on < today:
        return "expired"
    return certificate.status


def certificates_managed_by(user) -> QuerySet[ActivityCertificate]:
    """Certificates of members whose origin organisation the user keeps as org admin."""
    return ActivityCertificate.objects.filter(
        member__origin__in=organizations_managed_by(user)
    ).select_related("member", "member__origin", "issued_by", "created_by")


def members_certifiable_by(user) -> QuerySet[Member]:
    """Floating members of the origin organisations the user keeps."""
    return Member.objects.filter(
        origin__in=organizations_managed_by(user).home_side(),
        floating_status=Member.FloatingStatus.FLOATING,
    ).select_related("origin")


def certificates_of_member(member: Member) -> list[ActivityCertificate]:
    """The member's certificates, the current one first, then the history."""
    certificates = ActivityCertificate.objects.filter(member=member).select_related("issued_by")
    return sorted(certificates, key=lambda c: (c.status != Status.VALID, -c.issued_on.toordinal()))


def certificate_code_clean(code: str) -> str:
    """A typed code as stored: capitals, without spaces or dashes."""
    return "".join((code or "").split()).replace("-", "").upper()


def certificate_code_plausible(code: str) -> bool:
    """Has a cleaned code the shape of a verification code? Anything else (an ID number
    typed by mistake) is never put into a URL, where access logs would keep it."""
    return len(code) == VERIFICATION_LENGTH and set(code) <= set(VERIFICATION_ALPHABET)


def certificate_verify_url(certificate: ActivityCertificate) -> str:
    path = reverse("verify_activity", kwargs={"code": certificate.code})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@dataclass(frozen=True)
class CertificateCheck:
    """What the public may learn from a code: the state, the issuer, a masked name."""

    code: str
    state: str  # valid, expired, renewed, revoked or missing
    number: str = ""
    holder: str = ""
    issuer: str = ""
    issued_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    revoked_on: datetime.date | None = None


def certificate_check(*, code: str) -> CertificateCheck:
    code = certificate_code_clean(code)
    certificate = (
        ActivityCertificate.objects.select_related("member", "issued_by").filter(code=code).first()
        if code
        else None
    )
    if certificate is None:
        return CertificateCheck(code=code, state="missing")
    return CertificateCheck(
        code=code,
        state=certificate_state(certificate),
        number=certificate.number,
        holder=mask_name(certificate.member.name),
        issuer=certificate.issued_by.name,
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        revoked_on=certificate.revoked_on,
    )


# --- Contact cards ------------------------------------------------------------------------


def contact_cards_kept_by(user) -> QuerySet[ContactCard]:
    """Cards the user keeps: those of host organisations in the user's org admin subtrees."""
    return ContactCard.objects.filter(host__in=organizations_managed_by(user)).select_related(
        "member", "member__origin", "host", "attested_by"
    )


def contact_cards_visible_to(user) -> QuerySet[ContactCard]:
    """Cards the user keeps, and (read-only) those of members of the origin branches kept."""
    managed = organizations_managed_by(user)
    return ContactCard.objects.filter(
        Q(host__in=managed) | Q(member__origin__in=managed)
    ).select_related("member", "member__origin", "host", "attested_by")


def contact_card_kept(card: ContactCard, user) -> bool:
    """Whether the user may write on the card (the host side), not only read it."""
    return organizations_managed_by(user).filter(pk=card.host_id).exists()


def members_hosted_by(user) -> QuerySet[Member]:
    """Members hosted in the user's host-side organisations whom the user keeps under dual
    management (``members_visible_to``: those of paired townships): who may get a card."""
    return (
        members_visible_to(user)
        .filter(host__in=organizations_managed_by(user).host_side())
        .select_related("origin", "host")
    )


def contact_cards_of_member(member: Member) -> QuerySet[ContactCard]:
    return ContactCard.objects.filter(member=member).select_related("host")


@dataclass(frozen=True)
class CardSummary:
    """Countersigned activities of a card: how many of each kind, and volunteer hours."""

    counts: dict[str, int]
    total: int
    volunteer_hours: Decimal
    pending: int

    def rows(self) -> list[tuple[str, int]]:
        """(label, count) for every kind, in the order of the choices."""
        return [(label, self.counts.get(kind, 0)) for kind, label in Kind.choices]


def contact_card_summary(card: ContactCard) -> CardSummary:
    signed = card.activities.filter(countersigned_at__isnull=False)
    counts = dict(signed.values_list("kind").annotate(n=Count("pk")).order_by())
    hours = signed.aggregate(total=Sum("volunteer_hours"))["total"] or Decimal("0")
    pending = card.activities.filter(countersigned_at__isnull=True).count()
    return CardSummary(counts, sum(counts.values()), hours, pending)


def contact_activities_attested(*, member_ids, year: int) -> dict[int, int]:
    """member id → countersigned activities on the member's attested card of ``year``, from
    the frozen attestation; members without an attested card are absent."""
    cards = ContactCard.objects.filter(
        member_id__in=member_ids, year=year, attested_at__isnull=False
    ).values_list("member_id", "attestation")
    return {member_id: int(attestation.get("total", 0)) for member_id, attestation in cards}
