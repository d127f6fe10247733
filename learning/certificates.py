"""Certificates of completed tracks: one per completion, a PDF, and a code anyone can check.

The code is random (not derived from anything about the member) and long enough not to be
guessed; the public verification page says only whether it is genuine, for which track and
when, never who holds it.
"""

import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from portal.cards.pdf import CJK_FONT, cjk_font_register, qr_drawing

from .models import Certificate, TrackCompletion

# No 0/O, 1/I/L: a code read aloud or typed from paper cannot be mistaken.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31**12, about 2**59 codes
FONT = CJK_FONT


def certificate_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def certificate_code_clean(code: str) -> str:
    """A typed code as stored: capitals, without spaces or dashes."""
    return "".join(code.split()).replace("-", "").upper()


def certificate_issue(*, completion_id: int) -> Certificate:
    """The completion's certificate, made the first time; running twice returns the same."""
    completion = TrackCompletion.objects.get(pk=completion_id)
    for _try in range(5):
        existing = Certificate.objects.filter(completion=completion).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    completion=completion, code=certificate_code_new()
                )
        except IntegrityError:
            # Issued at the same moment by another worker, or (rarely) a code taken: look again.
            continue
    raise RuntimeError(f"certificate for completion {completion_id} could not be issued")


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


def _issuer(completion: TrackCompletion) -> str:
    track = completion.track
    if track is None:
        return ""
    organization = track.organization
    return organization.name if organization else ""


def _draw_text(pdf, completion: TrackCompletion, width: float, height: float) -> None:
    pdf.setFillColorRGB(0.66, 0.09, 0.11)
    pdf.setFont(FONT, 30)
    pdf.drawCentredString(width / 2, height - 45 * mm, _("Certificate of completion"))
    pdf.setFillColorRGB(0.1, 0.1, 0.1)
    pdf.setFont(FONT, 24)
    pdf.drawCentredString(width / 2, height - 75 * mm, completion.member.name)
    pdf.setFont(FONT, 16)
    date = timezone.localdate(completion.completed_at).strftime("%Y-%m-%d")
    hours = f"{completion.study_hours.normalize():f}"
    lines = [
        _("completed the learning track “%(track)s”") % {"track": completion.track_title},
        _("on %(date)s, earning %(hours)s study hours.") % {"date": date, "hours": hours},
    ]
    for number, line in enumerate(lines):
        pdf.drawCentredString(width / 2, height - (92 + 12 * number) * mm, line)
    pdf.setFont(FONT, 14)
    pdf.drawCentredString(width / 2, 62 * mm, _issuer(completion))


def _draw_check(pdf, certificate: Certificate, width: float) -> None:
    """The code, the verification address, and the same address as a QR code."""
    url = certificate_verify_url(certificate)
    pdf.setFont(FONT, 10)
    pdf.drawString(22 * mm, 32 * mm, _("Verification code: %(code)s") % {"code": certificate.code})
    pdf.drawString(22 * mm, 25 * mm, _("Check it at %(url)s") % {"url": url})
    renderPDF.draw(qr_drawing(url, 32 * mm), pdf, width - 52 * mm, 20 * mm)


def certificate_pdf(*, certificate: Certificate) -> bytes:
    """The certificate as an A4 landscape PDF, in Chinese (reportlab's own CID font)."""
    cjk_font_register()
    width, height = landscape(A4)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(_("Certificate of completion") + f" {certificate.code}")
    pdf.setStrokeColorRGB(0.66, 0.09, 0.11)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    _draw_text(pdf, certificate.completion, width, height)
    _draw_check(pdf, certificate, width)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
