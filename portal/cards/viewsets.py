"""Activity certificates in the Wagtail admin, and what the cards' admin views share.

Certificates: the org admins of the member's origin organisation list, issue, renew and
revoke them and print the card. Contact cards are in ``contact_card_viewsets``, which builds
on the policies, the form page and the routed viewset here, and holds the menu group.
Everything is looked up through ``cards``' scoped selectors, so what lies outside the user's
subtrees is a 404. Only index, add and this module's own views are routed: there is no
generic edit, delete, history or usage view that could read outside the scope.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.log_actions import log
from wagtail.permissions import register_permission_policy

from portal.cards import selectors as card_selectors
from portal.cards import services as cards
from portal.cards.models import ActivityCertificate, ContactCard
from portal.cards.pdf import certificate_card_pdf
from portal.registry.forms import validation_errors_add
from portal.registry.permissions import OrgAdminPolicy
from portal.registry.viewsets import ScopedQuerysetMixin

User = get_user_model()
LOG_RENEW = "portal.certificate_renew"
LOG_REVOKE = "portal.certificate_revoke"
LOG_ATTEST = "portal.contact_card_attest"


# --- Who may: org admins, the subtree being each view's scope -----------------------------


CERTIFICATE_POLICY = OrgAdminPolicy(ActivityCertificate, {"view", "add"}, home_side=True)
CONTACT_CARD_POLICY = OrgAdminPolicy(ContactCard, {"view", "add"})
register_permission_policy(ActivityCertificate, CERTIFICATE_POLICY)
register_permission_policy(ContactCard, CONTACT_CARD_POLICY)
POLICIES = {ActivityCertificate: CERTIFICATE_POLICY, ContactCard: CONTACT_CARD_POLICY}


def org_admin_require(request, model) -> None:
    if not POLICIES[model].user_has_permission(request.user, "add"):
        raise PermissionDenied


def form_page_render(request, form, title: str, **context) -> TemplateResponse:
    context = {"form": form, "title": title, **context}
    return TemplateResponse(request, "portal/cards/admin_form.html", context)


class RoutedViewSet(ModelViewSet):
    """Index and add from Wagtail, every other route from ``extra_urls``."""

    add_to_admin_menu = False

    def extra_urls(self) -> list:
        return []

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", self.add_view, name="add"),
            *self.extra_urls(),
        ]


# --- Certificates ---------------------------------------------------------------------------


class CertificateFilterSet(WagtailFilterSet):
    class Meta:
        model = ActivityCertificate
        fields = ["status"]


class CertificateIndexView(ScopedQuerysetMixin, generic.IndexView):
    def scoped_queryset(self):
        return card_selectors.certificates_managed_by(self.request.user)

    def get_list_more_buttons(self, instance):
        buttons = []
        if instance.status == ActivityCertificate.Status.VALID:
            for label, name, icon in (
                (_("Print the card"), "pdf", "doc-full"),
                (_("Renew"), "renew", "repeat"),
                (_("Revoke"), "revoke", "cross"),
            ):
                url = reverse(f"portal_certificate:{name}", args=[instance.pk])
                buttons.append(ListingButton(label, url=url, icon_name=icon, priority=10))
        return buttons


class IssueForm(forms.Form):
    member = forms.ModelChoiceField(label=_("member"), queryset=None)
    issued_on = forms.DateField(
        label=_("issued on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = card_selectors.members_certifiable_by(user)


def certificate_issue_view(request):
    org_admin_require(request, ActivityCertificate)
    form = IssueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = cards.certificate_issue(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            log(instance=certificate, action="wagtail.create", user=request.user)
            messages.success(
                request, _("Certificate %(number)s issued.") % {"number": certificate.number}
            )
            return redirect("portal_certificate:index")
    return form_page_render(request, form, _("Issue an activity certificate"))


def _certificate(request, pk: int) -> ActivityCertificate:
    org_admin_require(request, ActivityCertificate)
    return get_object_or_404(card_selectors.certificates_managed_by(request.user), pk=pk)


class RenewForm(forms.Form):
    issued_on = forms.DateField(
        label=_("issued on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )


def certificate_renew_view(request, pk: int):
    certificate = _certificate(request, pk)
    form = RenewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            renewal = cards.certificate_renew(
                certificate=certificate, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            log(instance=certificate, action=LOG_RENEW, user=request.user)
            messages.success(
                request, _("Certificate %(number)s issued.") % {"number": renewal.number}
            )
            return redirect("portal_certificate:index")
    return form_page_render(request, form, _("Renew a certificate"), certificate=certificate)


class RevokeForm(forms.Form):
    revoke_reason = forms.CharField(label=_("why it is revoked"), max_length=200)


def certificate_revoke_view(request, pk: int):
    certificate = _certificate(request, pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cards.certificate_revoke(
                certificate=certificate, reason=form.cleaned_data["revoke_reason"]
            )
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            log(instance=certificate, action=LOG_REVOKE, user=request.user)
            messages.success(request, _("The certificate has been revoked."))
            return redirect("portal_certificate:index")
    return form_page_render(request, form, _("Revoke a certificate"), certificate=certificate)


def certificate_pdf_view(request, pk: int):
    certificate = _certificate(request, pk)
    response = HttpResponse(
        certificate_card_pdf(certificate=certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.number}.pdf"'
    return response


class CertificateViewSet(RoutedViewSet):
    model = ActivityCertificate
    icon = "doc-full"
    menu_label = _("Activity certificates")
    url_prefix = "ledger/certificates"
    index_view_class = CertificateIndexView
    filterset_class = CertificateFilterSet
    search_fields = ["number", "member__name", "code"]
    search_backend_name = None
    ordering = ["-issued_on", "-pk"]
    list_display = [
        TitleColumn("number", label=_("certificate number"), url_name="portal_certificate:pdf"),
        Column("member", label=_("full name")),
        Column("member.masked_id_number", label=_("ID number")),
        Column("member.origin", label=_("origin branch")),
        Column(
            "state",
            label=_("status"),
            accessor=lambda c: _STATES[card_selectors.certificate_state(c)],
        ),
        DateColumn("issued_on", label=_("issued on")),
        DateColumn("expires_on", label=_("valid until")),
    ]

    def get_form_class(self, for_update=False):
        return None

    @property
    def add_view(self):
        return certificate_issue_view

    def extra_urls(self):
        return [
            path("<int:pk>/renew/", certificate_renew_view, name="renew"),
            path("<int:pk>/revoke/", certificate_revoke_view, name="revoke"),
            path("<int:pk>/card.pdf", certificate_pdf_view, name="pdf"),
        ]


_STATES = {
    "valid": _("Valid"),
    "expired": _("Expired"),
    "renewed": _("Renewed"),
    "revoked": _("Revoked"),
}
