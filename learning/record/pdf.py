"""The certificate as a PDF: A4 landscape, in Chinese, with its code and a QR code of the
public verification page."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from portal.cards.pdf import CJK_FONT, cjk_font_register, qr_drawing

from ..models import Certificate, TrackCompletion
from .selectors import certificate_verify_url

FONT = CJK_FONT


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
