"""Forms of the annual assessment in the admin: confirming a draft grade, computing drafts."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from portal.models import Organization
from portal.registry.selectors import organizations_managed_by

from ..models import AnnualAssessment
from .services import DRAFT_REASONS


def _meeting_figures(assessment: AnnualAssessment) -> dict:
    return {
        "present": assessment.meetings_present,
        "leave": assessment.meetings_leave,
        "absent": assessment.meetings_absent,
        "expected": assessment.meetings_expected,
        "rate": assessment.meeting_rate,
    }


def draft_reasons_text(assessment: AnnualAssessment) -> str:
    """The reasons in words; those on meetings say how many and which rate."""
    figures = _meeting_figures(assessment)
    return "；".join(
        str(DRAFT_REASONS[code]) % figures if code in DRAFT_REASONS else code
        for code in assessment.draft_reasons
    )


def meetings_text(assessment: AnnualAssessment) -> str:
    """The year's organisational life: present, on leave, absent, and the rate."""
    if not assessment.meetings_expected:
        return _("No closed meeting expected the member")
    return _(
        "%(expected)s meetings: present %(present)s, on leave %(leave)s, absent "
        "%(absent)s (%(rate)s%%)"
    ) % _meeting_figures(assessment)


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
            "%(score)s. Organisational life: %(meetings)s. %(reasons)s"
        ) % {
            "meetings": meetings_text(assessment),
            "grade": assessment.get_draft_grade_display(),
            "hours": assessment.hours,
            "points": assessment.points,
            "score": assessment.score,
            "reasons": draft_reasons_text(assessment),
        }

    def _post_clean(self):
        """Validated by the service (services.assessment_confirm), naming the field."""


class AssessmentComputeForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organization.objects.none()
    )
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_managed_by(user).home_side()
        self.initial.setdefault("year", timezone.localdate().year)
