"""Reading a member's record: credit from the ledger, completed tracks with their
certificates, what is due next, and what the public may know of a certificate's code.

The certificate's code is random (not derived from anything about the member) and long
enough not to be guessed; the public verification page says only whether it is genuine, for
which track and when, never who holds it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Sum
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils import timezone

from portal.models import Member

from ..models import Certificate, CreditEntry, TrackCompletion, TrackPage
from ..tracks.selectors import tracks_for_member
from .services import CODE_ALPHABET, CODE_LENGTH


@dataclass
class DueTrack:
    track: TrackPage
    overdue: bool


@dataclass
class Record:
    """A member's own record for one year: credit from the ledger (reversals included),
    completed tracks with their certificates, and what is due next."""

    year: int
    hours: Decimal
    required_hours: Decimal
    points: int
    points_by_month: list[int]
    completions: list[TrackCompletion]
    due: list[DueTrack]

    @property
    def hours_percent(self) -> int:
        if self.required_hours <= 0:
            return 100
        return max(0, min(100, int(self.hours * 100 / self.required_hours)))


def credit_totals(*, member: Member, year: int) -> tuple[Decimal, int]:
    """Hours and points the ledger holds for the member in the year."""
    totals = CreditEntry.objects.filter(member=member, occurred_on__year=year).aggregate(
        hours=Sum("hours"), points=Sum("points")
    )
    return totals["hours"] or Decimal("0"), totals["points"] or 0


def points_by_month(*, member: Member, year: int) -> list[int]:
    """Points per month of the year, January first (a reversal can make a month negative)."""
    rows = (
        CreditEntry.objects.filter(member=member, occurred_on__year=year)
        .annotate(month=ExtractMonth("occurred_on"))
        .values("month")
        .annotate(points=Sum("points"))
    )
    months = [0] * 12
    for row in rows:
        months[row["month"] - 1] = row["points"] or 0
    return months


def completions_for_member(member: Member) -> list[TrackCompletion]:
    """The member's completed tracks, newest first, with their certificates (if issued)."""
    return list(
        TrackCompletion.objects.filter(member=member)
        .select_related("certificate")
        .order_by("-completed_at")
    )


def due_for_member(*, member: Member, today: datetime.date) -> list[DueTrack]:
    """Assigned tracks not completed yet, the nearest deadline first, those without last."""
    done = TrackCompletion.objects.filter(member=member).values("track_id")
    tracks = (
        tracks_for_member(member)
        .exclude(pk__in=done)
        .order_by(F("deadline").asc(nulls_last=True), "-first_published_at")
    )
    return [DueTrack(track, bool(track.deadline and track.deadline < today)) for track in tracks]


def member_record(*, member: Member, today: datetime.date | None = None) -> Record:
    today = today or timezone.localdate()
    hours, points = credit_totals(member=member, year=today.year)
    return Record(
        year=today.year,
        hours=hours,
        required_hours=Decimal(str(settings.LEARNING_YEARLY_HOURS)),
        points=points,
        points_by_month=points_by_month(member=member, year=today.year),
        completions=completions_for_member(member),
        due=due_for_member(member=member, today=today),
    )


# --- Certificates -----------------------------------------------------------------------


def certificate_code_clean(code: str) -> str:
    """A typed code as stored: capitals, without spaces or dashes."""
    return "".join(code.split()).replace("-", "").upper()


def certificate_code_plausible(code: str) -> bool:
    """Has a cleaned code the shape of a certificate code? Anything else (an ID number typed
    by mistake) is never put into a URL, where access logs would keep it."""
    return len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)


def certificate_verify_url(certificate: Certificate) -> str:
    path = reverse("learning:verify", kwargs={"code": certificate.code})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@dataclass
class Verification:
    """What the public may know of a code: nothing about the member."""

    code: str
    status: str  # "valid", "revoked" or "missing"
    track_title: str = ""
    completed_on: object = None
    revoked_on: object = None


def certificate_verify(*, code: str) -> Verification:
    code = certificate_code_clean(code)
    certificate = (
        Certificate.objects.select_related("completion").filter(code=code).first() if code else None
    )
    if certificate is None:
        return Verification(code=code, status="missing")
    completion = certificate.completion
    return Verification(
        code=code,
        status="revoked" if certificate.revoked_at else "valid",
        track_title=completion.track_title,
        completed_on=timezone.localdate(completion.completed_at),
        revoked_on=timezone.localdate(certificate.revoked_at) if certificate.revoked_at else None,
    )
