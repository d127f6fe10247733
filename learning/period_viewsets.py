"""Annual assessments and quarterly publications in the Wagtail admin, for org admins.

The secretary confirms or overrides each member's draft grade with a reason; publications
are made per organisation and quarter. Both are read through the user's scope, as in
``credit_viewsets``, which holds the permission policy and scoped viewset they share.
"""

import django_filters
from django import forms
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import HeaderButton

from portal.models import Organization
from portal.registry.selectors import members_visible_to, organizations_managed_by
from portal.registry.viewsets import ServiceFormMixin

from . import annual_assessment, periods
from .credit_viewsets import (
    OrganizationScopedForm,
    ScopedObjectsMixin,
    ScopedViewSet,
    permission_require,
    township_filter,
    townships,
)
from .models import AnnualAssessment, QuarterlyPublication

# --- Annual assessment ------------------------------------------------------------------


def _draft_reasons_text(assessment: AnnualAssessment) -> str:
    return "；".join(
        str(annual_assessment.DRAFT_REASONS.get(code, code)) for code in assessment.draft_reasons
    )


class AssessmentFilterSet(WagtailFilterSet):
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=townships, method=township_filter
    )
    confirmed = django_filters.BooleanFilter(
        label=_("confirmed"), field_name="confirmed_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = AnnualAssessment
        fields = ["year", "draft_grade", "grade"]


class ScopedAssessmentQuerysetMixin(ScopedObjectsMixin):
    def scoped_queryset(self):
        members = members_visible_to(self.request.user)
        return AnnualAssessment.objects.filter(member__in=members).select_related(
            "member", "member__origin", "confirmed_by"
        )


class AssessmentIndexView(ScopedAssessmentQuerysetMixin, generic.IndexView):
    @property
    def header_buttons(self):
        url = reverse("learning_assessment:compute")
        return [
            *super().header_buttons,
            HeaderButton(_("Compute drafts"), url=url, icon_name="cog"),
        ]


class AssessmentConfirmForm(WagtailAdminModelForm):
    """Confirm the draft grade, or give another with the reason."""

    class Meta:
        model = AnnualAssessment
        fields = ["grade", "override_reason"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        assessment = self.instance
        self.fields["grade"].required = True
        self.initial.setdefault("grade", assessment.grade or assessment.draft_grade)
        self.fields["grade"].help_text = _(
            "Draft: %(grade)s. %(hours)s study hours, %(points)s points, 12-point score "
            "%(score)s. %(reasons)s"
        ) % {
            "grade": assessment.get_draft_grade_display(),
            "hours": assessment.hours,
            "points": assessment.points,
            "score": assessment.score,
            "reasons": _draft_reasons_text(assessment),
        }

    def _post_clean(self):
        """Validated by the service (annual_assessment.assessment_confirm), naming the field."""


class AssessmentEditView(ScopedAssessmentQuerysetMixin, ServiceFormMixin, generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return annual_assessment.assessment_confirm(
            assessment=AnnualAssessment.objects.get(pk=self.object.pk),
            grade=data["grade"],
            reason=data.get("override_reason", ""),
            user=self.request.user,
        )


class AssessmentComputeForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organization.objects.none()
    )
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_managed_by(user).home_side()
        self.initial.setdefault("year", timezone.localdate().year)


def assessment_compute(request):
    """Draft the year's assessment of an organisation's members, in the background."""
    permission_require(request, AnnualAssessment, "change")
    form = AssessmentComputeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        organization, year = form.cleaned_data["organization"], form.cleaned_data["year"]
        transaction.on_commit(lambda: _drafts_enqueue(organization.pk, year))
        messages.success(
            request,
            _("Drafts for %(organization)s, %(year)s are being computed; reload in a moment.")
            % {"organization": organization, "year": year},
        )
        return redirect("learning_assessment:index")
    context = {"form": form, "title": _("Compute drafts")}
    return TemplateResponse(request, "learning/admin/credit_form.html", context)


def _drafts_enqueue(organization_id: int, year: int) -> None:
    from .tasks import assessment_drafts_compute

    assessment_drafts_compute.delay(organization_id, year)


class AssessmentViewSet(ScopedViewSet):
    model = AnnualAssessment
    icon = "success"
    menu_label = _("Annual assessment")
    url_prefix = "learning/assessments"
    scope = ScopedAssessmentQuerysetMixin
    index_view_class = AssessmentIndexView
    edit_view_class = AssessmentEditView
    filterset_class = AssessmentFilterSet
    search_fields = ["member__name"]
    search_backend_name = None
    ordering = ["-year", "member__origin__path", "member__name"]
    list_display = [
        TitleColumn("member", label=_("full name"), url_name="learning_assessment:edit"),
        Column("member.origin", label=_("origin branch")),
        Column("year", label=_("year")),
        Column("hours", label=_("study hours")),
        Column("points", label=_("points")),
        Column("score", label=_("12-point score")),
        Column("get_draft_grade_display", label=_("draft grade")),
        Column("reasons", label=_("why"), accessor=_draft_reasons_text),
        Column("get_grade_display", label=_("grade")),
        Column("confirmed_by", label=_("confirmed by")),
    ]

    def get_form_class(self, for_update=False):
        return AssessmentConfirmForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("compute/", assessment_compute, name="compute"),
        ]


# --- Quarterly publication --------------------------------------------------------------


class PublicationForm(OrganizationScopedForm):
    class Meta:
        model = QuarterlyPublication
        fields = ["organization", "year", "quarter", "note"]

    def _post_clean(self):
        """Validated by the service (periods.quarter_publish), which names the field."""


class ScopedPublicationQuerysetMixin(ScopedObjectsMixin):
    def scoped_queryset(self):
        organizations = organizations_managed_by(self.request.user)
        return QuarterlyPublication.objects.filter(organization__in=organizations).select_related(
            "organization", "published_by"
        )


class PublicationIndexView(ScopedPublicationQuerysetMixin, generic.IndexView):
    add_item_label = _("Publish a quarter")


class PublicationCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return periods.quarter_publish(
            organization=data["organization"],
            year=data["year"],
            quarter=data["quarter"],
            note=data.get("note", ""),
            user=self.request.user,
        )


def _publication_url(publication: QuarterlyPublication) -> str:
    return reverse("learning:publication", kwargs={"pk": publication.pk})


class PublicationViewSet(ScopedViewSet):
    model = QuarterlyPublication
    icon = "doc-full"
    menu_label = _("Quarterly publications")
    url_prefix = "learning/publications"
    scope = ScopedPublicationQuerysetMixin
    index_view_class = PublicationIndexView
    add_view_class = PublicationCreateView
    list_filter = ["year", "quarter"]
    ordering = ["-year", "-quarter", "organization__path"]
    list_display = [
        TitleColumn("organization", label=_("organisation"), get_url=_publication_url),
        Column("year", label=_("year")),
        Column("quarter", label=_("quarter")),
        DateColumn("published_at", label=_("published at")),
        Column("published_by", label=_("published by")),
    ]

    def get_form_class(self, for_update=False):
        return PublicationForm
