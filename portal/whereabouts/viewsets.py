"""Whereabouts and lost contact in the Wagtail admin, for org admins within their scope.

Reports are verified or sent back by the origin side only (the members whose origin branch
the admin keeps); either side of dual management may enter a report on a member's behalf and
follow the lost-contact flags of the members it keeps. Whatever lies outside is a 404.
Reports are never edited or deleted here: history is kept.
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.registry.forms import validation_errors_add
from portal.registry.models import Organization, Role
from portal.registry.selectors import (
    holds_role,
    members_visible_to,
    organizations_managed_by,
)
from portal.registry.viewsets import ScopedQuerysetMixin, ScopedViewSetMixin
from portal.whereabouts import services as whereabouts
from portal.whereabouts.forms import MonthField, WhereaboutsOnBehalfForm
from portal.whereabouts.models import LostContact, WhereaboutsReport
from portal.whereabouts.selectors import lost_contacts_for, whereabouts_reports_for_verifier

User = get_user_model()
FORM_TEMPLATE = "portal/whereabouts/admin_form.html"


# --- Who may: org admins, on either side -------------------------------------------------


def keeps_members(user) -> bool:
    """Active superusers and holders of the org admin role anywhere (cached per request)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_guiyan_keeps_members"):
        user._guiyan_keeps_members = user.is_superuser or holds_role(user, Role.ORG_ADMIN)
    return user._guiyan_keeps_members


class KeeperPermissionPolicy(BasePermissionPolicy):
    """Org admins may take ``actions``; which objects is the views' scope."""

    def __init__(self, model, actions):
        super().__init__(model)
        self.actions = frozenset(actions)

    def user_has_permission(self, user, action):
        return action in self.actions and keeps_members(user)

    def user_has_any_permission(self, user, actions):
        return bool(self.actions.intersection(actions)) and keeps_members(user)

    def users_with_any_permission(self, actions):
        if not self.actions.intersection(actions):
            return User.objects.none()
        keepers = Q(is_superuser=True) | Q(role_assignments__role=Role.ORG_ADMIN)
        return User.objects.filter(keepers, is_active=True).distinct()


register_permission_policy(
    WhereaboutsReport, KeeperPermissionPolicy(WhereaboutsReport, {"view", "add"})
)
register_permission_policy(LostContact, KeeperPermissionPolicy(LostContact, {"view"}))


def _keeper_require(request) -> None:
    if not keeps_members(request.user):
        raise PermissionDenied


def townships(request):
    return organizations_managed_by(request.user).filter(level=Organization.Level.TOWNSHIP)


def township_filter(queryset, name, value):
    return queryset.filter(member__origin__path__startswith=value.path)


class ScopedMixin(ScopedQuerysetMixin):
    """Listing and inspect views read through ``scope(user)``."""

    scope = None

    def scoped_queryset(self):
        return type(self).scope(self.request.user)


# --- Reports: verify, send back, enter on a member's behalf -----------------------------


class MonthFilter(django_filters.DateFilter):
    field_class = MonthField


class DefaultedFilterSet(WagtailFilterSet):
    """A filter set that starts on ``defaults`` until the form is submitted with the key."""

    defaults: dict = {}

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            for key, value in self.defaults.items():
                data.setdefault(key, value)
        super().__init__(data, *args, **kwargs)


class ReportFilterSet(DefaultedFilterSet):
    defaults = {"status": WhereaboutsReport.Status.SUBMITTED}
    month = MonthFilter(label=_("month"))
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=townships, method=township_filter
    )

    class Meta:
        model = WhereaboutsReport
        fields = ["status"]


class ReportScope(ScopedMixin):
    scope = staticmethod(whereabouts_reports_for_verifier)


class ReportIndexView(ReportScope, generic.IndexView):
    add_item_label = _("Enter a report for a member")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == WhereaboutsReport.Status.SUBMITTED:
            for name, label, icon in (
                ("verify", _("Verify"), "check"),
                ("return", _("Send back"), "undo"),
            ):
                url = reverse(f"portal_whereabouts:{name}", args=[instance.pk])
                buttons.append(ListingButton(label, url=url, icon_name=icon, priority=40))
        return buttons


def report_add(request):
    """A secretary enters a report for a member they keep (the member may have phoned)."""
    _keeper_require(request)
    members = members_visible_to(request.user).order_by("name")
    form = WhereaboutsOnBehalfForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            report = whereabouts.whereabouts_report_submit(
                reported_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            messages.success(request, _("Report entered for %(name)s.") % {"name": report.member})
            return redirect("portal_whereabouts:index")
    context = {"form": form, "title": _("Enter a report for a member")}
    return TemplateResponse(request, FORM_TEMPLATE, context)


def _report_in_scope(request, pk: int) -> WhereaboutsReport:
    _keeper_require(request)
    return get_object_or_404(whereabouts_reports_for_verifier(request.user), pk=pk)


def report_verify(request, pk: int):
    """Confirm the report: its values go on the member's ledger row."""
    report = _report_in_scope(request, pk)
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            whereabouts.whereabouts_report_verify(report=report, user=request.user)
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            messages.success(request, _("Report verified; the ledger is up to date."))
            return redirect("portal_whereabouts:index")
    context = {"form": form, "report": report, "title": _("Verify a report"), "action": _("Verify")}
    return TemplateResponse(request, FORM_TEMPLATE, context)


class ReturnForm(forms.Form):
    return_reason = forms.CharField(label=_("why it is sent back"), max_length=200)


def report_return(request, pk: int):
    """Send the report back to the member, with the reason they will see."""
    report = _report_in_scope(request, pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            whereabouts.whereabouts_report_return(
                report=report, user=request.user, reason=form.cleaned_data["return_reason"]
            )
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            messages.success(request, _("Report sent back to the member."))
            return redirect("portal_whereabouts:index")
    context = {"form": form, "report": report, "title": _("Send a report back")}
    return TemplateResponse(request, FORM_TEMPLATE, context)


class WhereaboutsReportViewSet(ScopedViewSetMixin, ModelViewSet):
    scope = ReportScope
    model = WhereaboutsReport
    icon = "site"
    menu_label = _("Whereabouts reports")
    url_prefix = "ledger/whereabouts"
    index_view_class = ReportIndexView
    inspect_view_class = type("ReportInspectView", (ReportScope, generic.InspectView), {})
    inspect_view_enabled = True
    filterset_class = ReportFilterSet
    search_fields = ["member__name", "city", "employer", "address"]
    search_backend_name = None
    ordering = ["-month", "-reported_at"]
    list_display = [
        # A name, not a Column: Wagtail makes it the title column, which links each row to
        # its report and holds the row's verify and send-back buttons.
        "member",
        Column("month", label=_("month"), accessor=lambda report: f"{report.month:%Y-%m}"),
        Column("city", label=_("city")),
        Column("employer", label=_("employer")),
        Column("masked_phone", label=_("phone")),
        Column("host", label=_("host organisation")),
        Column("get_status_display", label=_("status")),
        DateColumn("reported_at", label=_("reported at")),
    ]
    inspect_view_fields = [
        "member",
        "month",
        "city",
        "employer",
        "address",
        "masked_phone",
        "host",
        "status",
        "return_reason",
        "reported_at",
        "reported_by",
        "verified_at",
        "verified_by",
    ]

    def get_form_class(self, for_update=False):  # the add view is the on-behalf form
        return None

    @property
    def add_view(self):
        return report_add

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/verify/", report_verify, name="verify"),
            path("<int:pk>/return/", report_return, name="return"),
        ]


# --- Lost contact (失联) --------------------------------------------------------------


class LostContactFilterSet(DefaultedFilterSet):
    defaults = {"open": "true"}
    open = django_filters.BooleanFilter(
        label=_("still out of contact"), field_name="cleared_on", lookup_expr="isnull"
    )
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=townships, method=township_filter
    )

    class Meta:
        model = LostContact
        fields = []


class LostContactScope(ScopedMixin):
    scope = staticmethod(lost_contacts_for)


class LostContactIndexView(LostContactScope, generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.cleared_on is None:
            url = reverse("portal_lost_contact:clear", args=[instance.pk])
            buttons.append(
                ListingButton(_("Clear with a note"), url=url, icon_name="check", priority=40)
            )
        return buttons


class ClearForm(forms.Form):
    note = forms.CharField(
        label=_("note"),
        max_length=200,
        help_text=_("How the member was reached. Today counts as contact."),
    )


def lost_contact_clear(request, pk: int):
    _keeper_require(request)
    flag = get_object_or_404(lost_contacts_for(request.user), pk=pk)
    form = ClearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            whereabouts.lost_contact_clear(flag=flag, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            messages.success(request, _("Flag cleared for %(name)s.") % {"name": flag.member})
            return redirect("portal_lost_contact:index")
    context = {"form": form, "flag": flag, "title": _("Clear a lost-contact flag")}
    return TemplateResponse(request, FORM_TEMPLATE, context)


class LostContactViewSet(ScopedViewSetMixin, ModelViewSet):
    scope = LostContactScope
    model = LostContact
    icon = "warning"
    menu_label = _("Lost contact")
    url_prefix = "ledger/lost-contact"
    index_view_class = LostContactIndexView
    filterset_class = LostContactFilterSet
    search_fields = ["member__name", "note"]
    search_backend_name = None
    ordering = ["-flagged_on", "member__name"]
    list_display = [
        "member",  # the title column: it holds the row's clear button
        Column("masked_phone", label=_("phone"), accessor="member.masked_phone"),
        Column("origin", label=_("origin branch"), accessor="member.origin"),
        Column("host", label=_("host organisation"), accessor="member.host"),
        DateColumn("since", label=_("last heard of on")),
        DateColumn("flagged_on", label=_("flagged on")),
        DateColumn("cleared_on", label=_("cleared on")),
        Column("note", label=_("note")),
    ]

    def get_form_class(self, for_update=False):  # flags are raised by the job, cleared below
        return None

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/clear/", lost_contact_clear, name="clear"),
        ]


class WhereaboutsViewSetGroup(ViewSetGroup):
    items = (
        WhereaboutsReportViewSet("portal_whereabouts"),
        LostContactViewSet("portal_lost_contact"),
    )
    menu_label = _("Whereabouts")
    menu_icon = "site"
    menu_order = 205
