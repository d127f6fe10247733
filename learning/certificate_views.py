"""The certificate PDF for its owner, and the public page that checks a code."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from .certificates import certificate_code_clean, certificate_pdf, certificate_verify
from .models import Certificate
from .quiz_views import member_or_403


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
    """Type a code (GET, so the result has an address to share)."""
    code = certificate_code_clean(request.GET.get("code", ""))
    if code:
        return redirect("learning:verify", code=code)
    return render(request, "learning/certificate_verify.html", {"result": None})


def verify(request, code: str):
    result = certificate_verify(code=code)
    status = 404 if result.status == "missing" else 200
    return render(request, "learning/certificate_verify.html", {"result": result}, status=status)
