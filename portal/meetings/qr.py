"""The QR code the secretary shows at the meeting: a link to the member's sign-in page with
the signed token (``services.meeting_qr_token``), drawn as SVG by reportlab, which the
project already uses for the certificate's QR code."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing

from portal.meetings.models import Meeting
from portal.meetings.services import meeting_qr_token

QR_POINTS = 240


def meeting_sign_in_url(request, meeting: Meeting) -> str:
    query = urlencode({"t": meeting_qr_token(meeting)})
    return request.build_absolute_uri(f"{reverse('my_meeting_scan')}?{query}")


def meeting_qr_svg(request, meeting: Meeting) -> SafeString:
    widget = QrCodeWidget(meeting_sign_in_url(request, meeting), barLevel="M")
    left, bottom, right, top = widget.getBounds()
    scale = QR_POINTS / max(right - left, top - bottom)
    drawing = Drawing(QR_POINTS, QR_POINTS, transform=[scale, 0, 0, scale, 0, 0])
    drawing.add(widget)
    svg = renderSVG.drawToString(drawing)
    # reportlab's own markup of our URL (no user text but the signed token): safe to inline.
    return mark_safe(svg[svg.index("<svg") :])  # noqa: S308
