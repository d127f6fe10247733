"""Annual assessments in the Wagtail admin, for org admins: the secretary confirms or
overrides each member's draft grade with a reason, read through the user's scope as in
``learning.credit.viewsets``, which holds the permission policy and scoped viewset they share.
"""

import django_filters
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import HeaderButton

from portal.registry.selectors import members_visible_to
from portal.registry.viewsets import ServiceFormMixin

from ..credit.viewsets import (
    ScopedObjectsMixin,
    ScopedViewSet,
    permission_require,
    township_filter,
    townships,
)
from ..models import AnnualAssessment
from . import services
from .forms import (
    AssessmentComputeForm,
    AssessmentConfirmForm,
    draft_reasons_text,
    meetings_text,
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


class AssessmentEditView(ScopedAssessmentQuerysetMixin, ServiceFormMixin, generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.assessment_confirm(
            assessment=AnnualAssessment.objects.get(pk=self.object.pk),
            grade=data["grade"],
            reason=data.get("override_reason", ""),
            user=self.request.user,
        )


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
        Column("meetings", label=_("organisational life"), accessor=meetings_text),
        Column("get_draft_grade_display", label=_("draft grade")),
        Column("reasons", label=_("why"), accessor=draft_reasons_text),
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
