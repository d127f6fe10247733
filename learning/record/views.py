"""'My record' on the phone: the member's own hours, points, tracks, certificates and what
is due; only ever the logged-in member's. The certificate PDF for its owner, and the public
page that checks a code."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ..models import Certificate
from ..quizzes.views import member_or_403
from ..versions import kept, learning_key
from .pdf import certificate_pdf
from .selectors import (
    certificate_code_clean,
    certificate_code_plausible,
    certificate_verify,
    member_record,
)

# The SVG's drawing units (it scales to the phone's width): the baseline at 100, the
# tallest bar 88 high, leaving room above it for its label.
BASELINE = 100
TALLEST = 88


@dataclass
class Bar:
    month: int
    points: int
    x: int
    y: float
    height: float


def month_bars(points_by_month: list[int]) -> list[Bar]:
    """Bars of a 12-month chart in a 240×120 view box: 20 units a month, labels below."""
    top = max([*points_by_month, 1])
    bars = []
    for index, points in enumerate(points_by_month):
        height = TALLEST * max(points, 0) / top
        bars.append(Bar(index + 1, points, 20 * index + 3, BASELINE - height, height))
    return bars


@login_required
def record(request):
    member = member_or_403(request)

    def body() -> str:
        data = member_record(member=member)
        context = {"record": data, "bars": month_bars(data.points_by_month)}
        return render_to_string("learning/_record_body.html", context)

    # Rendered once per version of the member's record (learning/versions.py).
    cards = kept(learning_key(request, member.pk, "record"), body)
    return render(request, "learning/record.html", {"body": mark_safe(cards)})  # noqa: S308


@login_required
def certificate_download(request, code: str):
    """Only the member who earned it; anyone else gets 404, as for a code that is not there."""
    member = member_or_403(request)
    certificate = get_object_or_404(
        Certificate.objects.select_related("completion__member", "completion__track"),
        code=code,
        completion__member=member,
    )
    pdf = certificate_pdf(certificate=certificate)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.code}.pdf"'
    return response


def verify_form(request):
    """Type a code (GET, so the result has an address to share). What is not shaped like a
    code is answered here, not redirected into a path of its own."""
    code = certificate_code_clean(request.GET.get("code", ""))
    if certificate_code_plausible(code):
        return redirect("learning:verify", code=code)
    if code:
        result = certificate_verify(code="")
        return render(request, "learning/certificate_verify.html", {"result": result}, status=404)
    return render(request, "learning/certificate_verify.html", {"result": None})


def verify(request, code: str):
    result = certificate_verify(code=code)
    status = 404 if result.status == "missing" else 200
    return render(request, "learning/certificate_verify.html", {"result": result}, status=status)
