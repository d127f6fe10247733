"""The certificate and the contact card on the member's phone, and the public page that
checks a certificate's code. The admin side is in ``viewsets`` and ``contact_card_viewsets``."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.cards import selectors as card_selectors
from portal.cards import services as cards
from portal.cards.models import ActivityCertificate, ContactActivity
from portal.cards.pdf import certificate_card_pdf
from portal.registry.forms import validation_errors_add
from portal.registry.member_fragments import member_fragments
from portal.registry.selectors import member_for_user


class ContactActivityForm(forms.ModelForm):
    """One activity: what, when, and the hours of volunteer service."""

    class Meta:
        model = ContactActivity
        fields = ["kind", "held_on", "description", "volunteer_hours"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "volunteer_hours": forms.NumberInput(attrs={"step": "0.5", "min": "0.5"}),
        }
        help_texts = {
            "volunteer_hours": gettext_lazy("Only for volunteer service."),
        }

    def _post_clean(self):
        """Validated by the service, which names the field."""


def _member_or_403(request):
    member = member_for_user(request.user)
    if member is None:
        raise PermissionDenied
    return member


# --- Public verification ------------------------------------------------------------------


def verify_activity_form(request):
    """Type a code (GET, so the result has an address to share). What is not shaped like a
    code is answered here, not redirected into a path of its own."""
    code = card_selectors.certificate_code_clean(request.GET.get("code", ""))
    if card_selectors.certificate_code_plausible(code):
        return redirect("verify_activity", code=code)
    if code:
        result = card_selectors.CertificateCheck(code="", state="missing")
        return render(request, "portal/cards/verify.html", {"result": result}, status=404)
    return render(request, "portal/cards/verify.html", {"result": None})


def verify_activity(request, code: str):
    result = card_selectors.certificate_check(code=code)
    status = 404 if result.state == "missing" else 200
    return render(request, "portal/cards/verify.html", {"result": result}, status=status)


# --- The member's certificate -------------------------------------------------------------


@login_required
def my_certificate(request):
    member = _member_or_403(request)
    certificates = card_selectors.certificates_of_member(member)
    rows = [
        (certificate, card_selectors.certificate_state(certificate)) for certificate in certificates
    ]
    return render(request, "portal/cards/my_certificate.html", {"rows": rows, "member": member})


@login_required
def my_certificate_pdf(request, code: str):
    """Only the holder; anyone else gets 404, as for a code that is not there."""
    member = _member_or_403(request)
    certificate = get_object_or_404(
        ActivityCertificate.objects.select_related("member__origin", "issued_by"),
        code=code,
        member=member,
    )
    response = HttpResponse(
        certificate_card_pdf(certificate=certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.number}.pdf"'
    return response


# --- The member's contact card ------------------------------------------------------------


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404 from None


@login_required
def my_contact_card(request):
    """The year's card: what the host branch signed, what waits, and a form to propose.

    The card and the empty form are rendered once per change to the member's records and
    per day (the form starts from today), portal.registry.member_fragments; a refused
    proposal is shown live."""
    member = _member_or_403(request)
    fields = None
    if request.method == "POST":
        form = ContactActivityForm(request.POST, initial={"held_on": timezone.localdate()})
        if form.is_valid():
            try:
                activity = cards.contact_activity_propose(member=member, **form.cleaned_data)
            except ValidationError as exc:
                validation_errors_add(form, exc)
            else:
                messages.success(request, _("Sent to your host branch secretary to countersign."))
                return redirect(f"{request.path}?year={activity.held_on.year}")
        fields = render_to_string("portal/_form.html", {"form": form})
    year, today = _year(request), timezone.localdate()
    pieces = member_fragments(
        member,
        "contact-card",
        lambda: _card_pieces(member, year, today),
        year,
        today,
        request=request,
    )
    context = {**pieces, "member": member, "year": year, "fields": fields or pieces["fields"]}
    return render(request, "portal/cards/my_contact_card.html", context)


def _card_pieces(member, year: int, today) -> dict:
    card = card_selectors.contact_cards_of_member(member).filter(year=year).first()
    context = {
        "member": member,
        "year": year,
        "card": card,
        "summary": card_selectors.contact_card_summary(card) if card else None,
        "activities": list(card.activities.all()) if card else [],
        "years": list(
            card_selectors.contact_cards_of_member(member).values_list("year", flat=True)
        ),
    }
    form = ContactActivityForm(initial={"held_on": today})
    return {
        "body": render_to_string("portal/cards/_contact_card_body.html", context),
        "propose": bool(member.host_id and not (card and card.attested_at)),
        "fields": render_to_string("portal/_form.html", {"form": form}),
    }


@login_required
def my_attestation(request, year: int):
    member = _member_or_403(request)
    card = get_object_or_404(
        card_selectors.contact_cards_of_member(member), year=year, attested_at__isnull=False
    )
    return render(request, "portal/cards/attestation.html", attestation_context(card))


def attestation_context(card) -> dict:
    """The frozen attestation with the labels of today's kinds, for the print view."""
    counts = card.attestation.get("counts", {})
    rows = [(label, counts.get(kind, 0)) for kind, label in ContactActivity.Kind.choices]
    return {"card": card, "attestation": card.attestation, "rows": rows}
