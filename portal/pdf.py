"""What every printable document of the site shares: a Chinese font and a QR code.

reportlab's own CID font (STSong-Light) needs no font file on the server, so a PDF renders
the same in every run mode; readers substitute a Song typeface of their own.
"""

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

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
