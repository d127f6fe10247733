"""Activity certificates and contact cards in the Wagtail admin.

Certificates: the org admins of the member's origin organisation list, issue, renew and
revoke them and print the card. Contact cards: the org admins of the card's host organisation
open cards, record and countersign activities and attest the year; the origin side reads them.
Everything is looked up through ``cards``' scoped selectors, so what lies outside the user's
subtrees is a 404. Only index, add and this module's own views are routed: there is no
generic edit, delete, history or usage view that could read outside the scope.
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.log_actions import log
from wagtail.permissions import register_permission_policy

from portal.cards import services as cards
from portal.cards.models import ActivityCertificate, ContactCard
from portal.cards.pdf import certificate_card_pdf
from portal.cards.views import ContactActivityForm, attestation_context
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


def _require(request, model) -> None:
    if not POLICIES[model].user_has_permission(request.user, "add"):
        raise PermissionDenied


def _form_page(request, form, title: str, **context) -> TemplateResponse:
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
        return cards.certificates_managed_by(self.request.user)

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
        self.fields["member"].queryset = cards.members_certifiable_by(user)


def certificate_issue_view(request):
    _require(request, ActivityCertificate)
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
    return _form_page(request, form, _("Issue an activity certificate"))


def _certificate(request, pk: int) -> ActivityCertificate:
    _require(request, ActivityCertificate)
    return get_object_or_404(cards.certificates_managed_by(request.user), pk=pk)


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
    return _form_page(request, form, _("Renew a certificate"), certificate=certificate)


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
    return _form_page(request, form, _("Revoke a certificate"), certificate=certificate)


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
        Column("state", label=_("status"), accessor=lambda c: _STATES[cards.certificate_state(c)]),
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


# --- Contact cards --------------------------------------------------------------------------


class ContactCardFilterSet(WagtailFilterSet):
    waiting = django_filters.BooleanFilter(
        label=_("activities waiting for countersignature"), method="filter_waiting"
    )
    attested = django_filters.BooleanFilter(
        label=_("attested"), field_name="attested_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = ContactCard
        fields = ["year", "host"]

    def filter_waiting(self, queryset, name, value):
        return queryset.filter(waiting__gt=0) if value else queryset.filter(waiting=0)


def _cards_counted(queryset):
    return queryset.annotate(
        waiting=Count("activities", filter=Q(activities__countersigned_at__isnull=True)),
        signed=Count("activities", filter=Q(activities__countersigned_at__isnull=False)),
    )


class ContactCardIndexView(ScopedQuerysetMixin, generic.IndexView):
    def scoped_queryset(self):
        return _cards_counted(cards.contact_cards_visible_to(self.request.user))


class OpenCardForm(forms.Form):
    member = forms.ModelChoiceField(label=_("member"), queryset=None)
    year = forms.IntegerField(
        label=_("year"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = cards.members_hosted_by(user)


def contact_card_open_view(request):
    _require(request, ContactCard)
    form = OpenCardForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            card = cards.contact_card_open(**form.cleaned_data)
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            if not cards.contact_card_kept(card, request.user):
                # The year's card exists at another host: the user may not write on it.
                form.add_error("member", _("This member's card of that year is kept elsewhere."))
            else:
                return redirect("portal_contact_card:card", pk=card.pk)
    return _form_page(request, form, _("Open a contact card"))


class RecordForm(ContactActivityForm):
    countersign = forms.BooleanField(
        label=_("countersign now"),
        required=False,
        initial=True,
        help_text=_("Leave unticked to have another secretary countersign it."),
    )


def _card(request, pk: int, *, keep: bool) -> ContactCard:
    """The card in the user's view (``keep``: only one the user writes on)."""
    _require(request, ContactCard)
    selector = cards.contact_cards_kept_by if keep else cards.contact_cards_visible_to
    return get_object_or_404(selector(request.user), pk=pk)


def contact_card_view(request, pk: int):
    """The card: its summary and activities; for the host side, the forms that change it."""
    card = _card(request, pk, keep=False)
    keeps = cards.contact_card_kept(card, request.user)
    form = RecordForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST":
        if not keeps:
            raise PermissionDenied
        if form.is_valid():
            try:
                cards.contact_activity_record(card=card, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                validation_errors_add(form, exc)
            else:
                messages.success(request, _("The activity has been recorded."))
                return redirect("portal_contact_card:card", pk=card.pk)
    context = {
        "card": card,
        "keeps": keeps and card.attested_at is None,
        "summary": cards.contact_card_summary(card),
        "activities": card.activities.select_related("recorded_by", "countersigned_by"),
        "form": form,
        "title": str(card),
    }
    return TemplateResponse(request, "portal/cards/admin_card.html", context)


def _activity_action(request, pk: int, activity_pk: int, action) -> HttpResponse:
    card = _card(request, pk, keep=True)
    if request.method != "POST":
        return redirect("portal_contact_card:card", pk=card.pk)
    activity = get_object_or_404(card.activities, pk=activity_pk)
    try:
        action(activity)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("portal_contact_card:card", pk=card.pk)


def activity_countersign_view(request, pk: int, activity_pk: int):
    return _activity_action(
        request,
        pk,
        activity_pk,
        lambda activity: cards.contact_activity_countersign(activity=activity, user=request.user),
    )


def activity_reject_view(request, pk: int, activity_pk: int):
    return _activity_action(
        request,
        pk,
        activity_pk,
        lambda activity: cards.contact_activity_reject(activity=activity),
    )


def contact_card_attest_view(request, pk: int):
    card = _card(request, pk, keep=True)
    if request.method == "POST":
        try:
            cards.contact_card_attest(card=card, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            log(instance=card, action=LOG_ATTEST, user=request.user)
            messages.success(request, _("The activity attestation has been issued."))
    return redirect("portal_contact_card:card", pk=card.pk)


def contact_card_attestation_view(request, pk: int):
    """The printable attestation, for both sides."""
    card = _card(request, pk, keep=False)
    if card.attested_at is None:
        raise Http404
    return TemplateResponse(request, "portal/cards/attestation.html", attestation_context(card))


class ContactCardViewSet(RoutedViewSet):
    model = ContactCard
    icon = "list-ul"
    menu_label = _("Contact cards")
    url_prefix = "ledger/contact-cards"
    index_view_class = ContactCardIndexView
    filterset_class = ContactCardFilterSet
    search_fields = ["member__name"]
    search_backend_name = None
    ordering = ["-year", "member__name"]
    list_display = [
        TitleColumn("member", label=_("full name"), url_name="portal_contact_card:card"),
        Column("year", label=_("year")),
        Column("member.origin", label=_("origin branch")),
        Column("host", label=_("host organisation")),
        Column("signed", label=_("countersigned")),
        Column("waiting", label=_("waiting")),
        BooleanColumn("attested", label=_("attested"), accessor=lambda c: bool(c.attested_at)),
    ]

    def get_form_class(self, for_update=False):
        return None

    @property
    def add_view(self):
        return contact_card_open_view

    def extra_urls(self):
        return [
            path("<int:pk>/", contact_card_view, name="card"),
            path("<int:pk>/attest/", contact_card_attest_view, name="attest"),
            path("<int:pk>/attestation/", contact_card_attestation_view, name="attestation"),
            path(
                "<int:pk>/activities/<int:activity_pk>/countersign/",
                activity_countersign_view,
                name="countersign",
            ),
            path(
                "<int:pk>/activities/<int:activity_pk>/reject/",
                activity_reject_view,
                name="reject",
            ),
        ]


class CardViewSetGroup(ViewSetGroup):
    items = (
        CertificateViewSet("portal_certificate"),
        ContactCardViewSet("portal_contact_card"),
    )
    menu_label = _("Certificates and cards")
    menu_icon = "doc-full-inverse"
    menu_order = 205
