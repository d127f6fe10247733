"""Contact cards in the Wagtail admin, and the menu group of certificates and cards.

The org admins of the card's host organisation open cards, record and countersign activities
and attest the year; the origin side reads them. Everything is looked up through ``cards``'
scoped selectors, so what lies outside the user's subtrees is a 404. Only index, add and this
module's own views are routed (``viewsets.RoutedViewSet``).
"""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.log_actions import log

from portal.cards import selectors as card_selectors
from portal.cards import services as cards
from portal.cards.models import ContactCard
from portal.cards.views import ContactActivityForm, attestation_context
from portal.cards.viewsets import (
    LOG_ATTEST,
    CertificateViewSet,
    RoutedViewSet,
    form_page_render,
    org_admin_require,
)
from portal.registry.components import YesNoColumn
from portal.registry.forms import validation_errors_add
from portal.registry.viewsets import ScopedQuerysetMixin

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
        return _cards_counted(card_selectors.contact_cards_visible_to(self.request.user))


class OpenCardForm(forms.Form):
    member = forms.ModelChoiceField(label=_("member"), queryset=None)
    year = forms.IntegerField(
        label=_("year"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = card_selectors.members_hosted_by(user)


def contact_card_open_view(request):
    org_admin_require(request, ContactCard)
    form = OpenCardForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            card = cards.contact_card_open(**form.cleaned_data)
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            if not card_selectors.contact_card_kept(card, request.user):
                # The year's card exists at another host: the user may not write on it.
                form.add_error("member", _("This member's card of that year is kept elsewhere."))
            else:
                return redirect("portal_contact_card:card", pk=card.pk)
    return form_page_render(request, form, _("Open a contact card"))


class RecordForm(ContactActivityForm):
    countersign = forms.BooleanField(
        label=_("countersign now"),
        required=False,
        initial=True,
        help_text=_("Leave unticked to have another secretary countersign it."),
    )


def _card(request, pk: int, *, keep: bool) -> ContactCard:
    """The card in the user's view (``keep``: only one the user writes on)."""
    org_admin_require(request, ContactCard)
    selector = (
        card_selectors.contact_cards_kept_by if keep else card_selectors.contact_cards_visible_to
    )
    return get_object_or_404(selector(request.user), pk=pk)


def contact_card_view(request, pk: int):
    """The card: its summary and activities; for the host side, the forms that change it."""
    card = _card(request, pk, keep=False)
    keeps = card_selectors.contact_card_kept(card, request.user)
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
        "summary": card_selectors.contact_card_summary(card),
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
        YesNoColumn("attested", label=_("attested"), accessor=lambda c: bool(c.attested_at)),
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
