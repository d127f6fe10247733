"""The activity certificate (流动党员活动证) as a printable card: A6 landscape, to print,
cut out and carry, with a QR code of the public verification page."""

import io

from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A6, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from portal.cards.models import ActivityCertificate
from portal.cards.selectors import certificate_verify_url

RED = (0.66, 0.09, 0.11)
QR_SIZE = 30 * mm


def _facts(certificate: ActivityCertificate) -> list[tuple[str, str]]:
    member = certificate.member
    return [
        (_("Name"), member.name),
        (_("ID number"), member.masked_id_number),
        (_("Origin branch"), member.origin.name),
        (_("Certificate number"), certificate.number),
        (
            _("Valid"),
            f"{certificate.issued_on:%Y-%m-%d} — {certificate.expires_on:%Y-%m-%d}",
        ),
    ]


def _draw_header(pdf, font: str, width: float, height: float) -> None:
    pdf.setFillColorRGB(*RED)
    pdf.rect(0, height - 16 * mm, width, 16 * mm, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFont(font, 16)
    pdf.drawCentredString(
        width / 2, height - 11 * mm, _("Floating party member activity certificate")
    )


def _draw_facts(pdf, font: str, certificate: ActivityCertificate, height: float) -> None:
    pdf.setFillColorRGB(0.1, 0.1, 0.1)
    top = height - 26 * mm
    for index, (label, value) in enumerate(_facts(certificate)):
        y = top - index * 8 * mm
        pdf.setFont(font, 8)
        pdf.drawString(8 * mm, y, label)
        # Long branch names shrink rather than run under the QR code.
        size = 10 if len(value) <= 16 else 8
        pdf.setFont(font, size)
        pdf.drawString(30 * mm, y, value)


def _draw_check(pdf, font: str, certificate: ActivityCertificate, width: float) -> None:
    url = certificate_verify_url(certificate)
    renderPDF.draw(qr_drawing(url, QR_SIZE), pdf, width - QR_SIZE - 6 * mm, 14 * mm)
    pdf.setFont(font, 7)
    pdf.drawString(8 * mm, 10 * mm, _("Issued by %(issuer)s") % {"issuer": certificate.issued_by})
    pdf.drawString(8 * mm, 5 * mm, _("Verification code: %(code)s") % {"code": certificate.code})
    pdf.drawRightString(width - 6 * mm, 8 * mm, _("Scan to check"))


def certificate_card_pdf(*, certificate: ActivityCertificate) -> bytes:
    """The certificate as a one-page A6 card, in Chinese."""
    font = cjk_font_register()
    width, height = landscape(A6)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(_("Activity certificate") + f" {certificate.number}")
    pdf.setStrokeColorRGB(*RED)
    pdf.setLineWidth(2)
    pdf.rect(2 * mm, 2 * mm, width - 4 * mm, height - 4 * mm)
    _draw_header(pdf, font, width, height)
    _draw_facts(pdf, font, certificate, height)
    _draw_check(pdf, font, certificate, width)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


CJK_FONT = "STSong-Light"


def cjk_font_register() -> str:
    """Register the Chinese font (once per process is enough; again is harmless)."""
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return CJK_FONT


def qr_drawing(url: str, size: float) -> Drawing:
    """A QR code of ``url``, ``size`` points square, to draw with renderPDF."""
    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    return drawing
