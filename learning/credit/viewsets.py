"""Credit in the Wagtail admin, for org admins within their subtrees.

Points rules, deduction rules and assessment policies of the organisations they keep; the
ledger of the members they keep, with reversal and correction. Everything is read through the
user's scope (portal.registry.viewsets.ScopedQuerysetMixin): what lies outside is a 404.
Anyone who is not an org admin is refused. Assessments are in ``learning.assessment.viewsets``,
publications in ``learning.periods.viewsets``.
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permissions import policy_registry, register_permission_policy

from portal.models import Organization
from portal.registry.components import YesNoColumn
from portal.registry.forms import validation_errors_add
from portal.registry.permissions import OrgAdminPolicy
from portal.registry.selectors import members_visible_to, organizations_managed_by
from portal.registry.viewsets import ScopedQuerysetMixin, ScopedViewSetMixin

from ..models import (
    AnnualAssessment,
    AssessmentPolicy,
    CreditEntry,
    DeductionRule,
    PointsRule,
    QuarterlyPublication,
)
from . import services
from .forms import CorrectionForm, OrganizationScopedForm, ReverseForm

User = get_user_model()


# --- Who may: org admins only -------------------------------------------------------------


RULE_ACTIONS = {"add", "change", "delete", "view"}
for _model, _actions in (
    (PointsRule, RULE_ACTIONS),
    (DeductionRule, RULE_ACTIONS),
    (AssessmentPolicy, RULE_ACTIONS),
    (CreditEntry, {"view", "add"}),  # add: a correction; never change or delete
    (AnnualAssessment, {"view", "change"}),  # change: confirm or override
    (QuarterlyPublication, {"view", "add"}),
):
    register_permission_policy(_model, OrgAdminPolicy(_model, _actions))


# Lists, object views, history and usage all read through ``scoped_queryset``.
ScopedObjectsMixin = ScopedQuerysetMixin


def scoped(scope: type, view: type) -> type:
    """``view`` reading through ``scope``."""
    return type(view.__name__, (scope, view), {})


class ScopedViewSet(ScopedViewSetMixin, ModelViewSet):
    """A viewset in the learning menu whose history and usage views keep to ``scope``."""

    scope = ScopedObjectsMixin
    add_to_admin_menu = True


# --- Rules of an organisation: points, deductions, assessment policy --------------------


class ScopedRuleQuerysetMixin(ScopedObjectsMixin):
    def scoped_queryset(self):
        organizations = organizations_managed_by(self.request.user)
        return self.model.objects.filter(organization__in=organizations).select_related(
            "organization"
        )


class RuleViewSet(ScopedViewSet):
    """An organisation's rule, editable by the org admins above it."""

    scope = ScopedRuleQuerysetMixin
    form_fields = []
    index_view_class = scoped(ScopedRuleQuerysetMixin, generic.IndexView)
    edit_view_class = scoped(ScopedRuleQuerysetMixin, generic.EditView)
    delete_view_class = scoped(ScopedRuleQuerysetMixin, generic.DeleteView)
    list_filter = ["organization"]
    ordering = ["organization__path"]

    def get_form_class(self, for_update=False):
        return forms.modelform_factory(
            self.model, form=OrganizationScopedForm, fields=["organization", *self.form_fields]
        )


class PointsRuleViewSet(RuleViewSet):
    model = PointsRule
    icon = "pick"
    menu_label = _("Points rules")
    url_prefix = "learning/points-rules"
    form_fields = ["activity", "points", "daily_cap", "monthly_cap"]
    list_filter = ["activity"]
    list_display = [
        TitleColumn("organization", label=_("organisation"), url_name="learning_points_rule:edit"),
        Column("get_activity_display", label=_("activity")),
        Column("points", label=_("points")),
        Column("daily_cap", label=_("daily cap")),
        Column("monthly_cap", label=_("monthly cap")),
    ]


class DeductionRuleViewSet(RuleViewSet):
    model = DeductionRule
    icon = "minus"
    menu_label = _("Deduction rules")
    url_prefix = "learning/deduction-rules"
    form_fields = ["kind", "marks", "grace_days"]
    list_filter = ["kind"]
    list_display = [
        TitleColumn(
            "organization", label=_("organisation"), url_name="learning_deduction_rule:edit"
        ),
        Column("get_kind_display", label=_("failing")),
        Column("marks", label=_("marks deducted")),
    ]


class AssessmentPolicyViewSet(RuleViewSet):
    model = AssessmentPolicy
    icon = "tasks"
    menu_label = _("Assessment policies")
    url_prefix = "learning/assessment-policies"
    form_fields = [
        "min_hours",
        "excellent_points",
        "qualified_points",
        "excellent_min_score",
        "qualified_min_score",
        "basic_min_score",
        "min_contact_activities",
        "max_meeting_absences",
        "min_meeting_rate",
    ]
    list_filter = []
    list_display = [
        TitleColumn(
            "organization", label=_("organisation"), url_name="learning_assessment_policy:edit"
        ),
        Column("min_hours", label=_("minimum study hours")),
        Column("excellent_points", label=_("points for excellent")),
        Column("qualified_points", label=_("points for qualified")),
    ]


# --- The ledger: entries, reversal, correction --------------------------------------------


def township_filter(queryset, name, value, field="member__origin__path"):
    return queryset.filter(**{f"{field}__startswith": value.path})


def townships(request):
    return organizations_managed_by(request.user).filter(level=Organization.Level.TOWNSHIP)


class CreditEntryFilterSet(WagtailFilterSet):
    occurred_on = django_filters.DateFromToRangeFilter(
        label=_("date"), widget=django_filters.widgets.RangeWidget(attrs={"type": "date"})
    )
    reversed = django_filters.BooleanFilter(
        label=_("reversed"), field_name="reversed_by", lookup_expr="isnull", exclude=True
    )
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=townships, method=township_filter
    )

    class Meta:
        model = CreditEntry
        fields = ["source", "activity"]


class ScopedCreditEntryQuerysetMixin(ScopedObjectsMixin):
    def scoped_queryset(self):
        return CreditEntry.objects.filter(
            member__in=members_visible_to(self.request.user)
        ).select_related("member", "reversed_by", "author")


class CreditEntryIndexView(ScopedCreditEntryQuerysetMixin, generic.IndexView):
    add_item_label = _("Add a correction")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if credit_entry_reversible(instance):
            url = reverse("learning_credit_entry:reverse", args=[instance.pk])
            buttons.append(ListingButton(_("Reverse"), url=url, icon_name="undo", priority=40))
        return buttons


def _is_reversed(entry: CreditEntry) -> bool:
    return hasattr(entry, "reversed_by")


def credit_entry_reversible(entry: CreditEntry) -> bool:
    return entry.source != CreditEntry.Source.REVERSAL and not _is_reversed(entry)


def permission_require(request, model, action: str) -> None:
    if not policy_registry.get_by_type(model).user_has_permission(request.user, action):
        raise PermissionDenied


def credit_correction_add(request):
    """Add hours, points or marks by hand, with the reason."""
    permission_require(request, CreditEntry, "add")
    form = CorrectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.credit_correct(
                member=data["member_phone"],
                hours=data["hours"],
                points=data["points"],
                deduction=data["deduction"],
                reason=data["reason"],
                author=request.user,
                occurred_on=data["occurred_on"],
            )
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            messages.success(
                request, _("Correction recorded for %(name)s.") % {"name": entry.member}
            )
            return redirect("learning_credit_entry:index")
    context = {"form": form, "title": _("Add a correction")}
    return TemplateResponse(request, "learning/admin/credit_form.html", context)


def credit_entry_reverse(request, pk: int):
    """Undo one entry of a member the user keeps, with the reason."""
    permission_require(request, CreditEntry, "add")
    entries = CreditEntry.objects.filter(member__in=members_visible_to(request.user))
    entry = get_object_or_404(entries.select_related("member"), pk=pk)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.credit_reverse(
                entry=entry, reason=form.cleaned_data["reason"], author=request.user
            )
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            messages.success(request, _("The entry has been reversed."))
            return redirect("learning_credit_entry:index")
    context = {"form": form, "entry": entry, "title": _("Reverse an entry")}
    return TemplateResponse(request, "learning/admin/credit_form.html", context)


class CreditEntryViewSet(ScopedViewSet):
    model = CreditEntry
    icon = "list-ul"
    menu_label = _("Credit ledger")
    url_prefix = "learning/credit"
    scope = ScopedCreditEntryQuerysetMixin
    index_view_class = CreditEntryIndexView
    inspect_view_class = scoped(ScopedCreditEntryQuerysetMixin, generic.InspectView)
    inspect_view_enabled = True
    filterset_class = CreditEntryFilterSet
    search_fields = ["member__name", "description", "source_key"]
    search_backend_name = None
    ordering = ["-occurred_on", "-pk"]
    list_display = [
        Column("member", label=_("full name")),
        Column("member.masked_phone", label=_("phone")),
        Column("get_source_display", label=_("source")),
        Column("description", label=_("description")),
        Column("hours", label=_("study hours")),
        Column("points", label=_("points")),
        Column("deduction", label=_("12-point deduction")),
        DateColumn("occurred_on", label=_("date")),
        YesNoColumn("reversed", label=_("reversed"), accessor=_is_reversed),
    ]
    inspect_view_fields = [
        "member",
        "source",
        "source_key",
        "activity",
        "hours",
        "points",
        "deduction",
        "description",
        "reason",
        "author",
        "reverses",
        "occurred_on",
        "created_at",
    ]

    def get_form_class(self, for_update=False):  # the add view is the correction form
        return None

    @property
    def add_view(self):
        return credit_correction_add

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/reverse/", credit_entry_reverse, name="reverse"),
        ]
