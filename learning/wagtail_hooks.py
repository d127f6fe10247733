"""Learning in the Wagtail admin. One block per owner; keep each block to itself."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

# --- Assignments, offline attendance, the branch dashboard, monthly packs -------------
from .attendance.viewsets import AttendanceViewSet
from .pace.viewsets import DashboardViewSet
from .tracks.selectors import LOG_ACTION as MONTHLY_PACK_LOG_ACTION
from .tracks.viewsets import AssignmentViewSet, MonthlyPackButton, MonthlyPackViewSet


# --- Portal's sections: tracks and quizzes are created there, behind the login -------------
# portal knows nothing of learning (docs/adr/0007-learning-joins-portal-by-hooks.md).
@hooks.register("register_section_page_types")
def section_page_types() -> list[str]:
    return ["learning.TrackPage", "learning.QuizPage"]


@hooks.register("register_members_only_page_types")
def members_only_page_types() -> list:
    from .models import QuizPage, TrackPage

    return [TrackPage, QuizPage]


@hooks.register("before_serve_page")
def template_tracks_unserved(page, request, serve_args, serve_kwargs):
    """A monthly template is there to be copied: its page is a 404 but to its editors."""
    from .models import TrackPage
    from .tracks.selectors import track_page_serves_to

    if isinstance(page, TrackPage) and not track_page_serves_to(track=page, user=request.user):
        raise Http404


class LearningViewSetGroup(ViewSetGroup):
    """The "Learning" menu. Other viewsets join it with ``menu_hook = LEARNING_MENU_HOOK``."""

    items = (
        DashboardViewSet("learning_dashboard"),
        AssignmentViewSet("learning_assignment"),
        AttendanceViewSet("learning_attendance"),
    )
    menu_label = _("Learning")
    menu_icon = "pick"
    menu_order = 210
    submenu_hook = "register_learning_menu_item"


LEARNING_MENU_HOOK = LearningViewSetGroup.submenu_hook


@hooks.register("register_admin_viewset")
def register_learning():
    return [LearningViewSetGroup(), MonthlyPackViewSet("learning_monthly")]


@hooks.register("register_page_header_buttons")
def monthly_pack_button(page, user, view_name, next_url=None):
    yield MonthlyPackButton(page=page, priority=35)


@hooks.register("register_log_actions")
def register_monthly_pack_log(actions):
    actions.register_action(
        MONTHLY_PACK_LOG_ACTION, _("Monthly pack"), _("Made as this month's pack")
    )


# --- end of assignments, attendance, dashboard, monthly packs ---------------------------


# --- Credit and the periods of the record: ledger, assessment, publications, rules ------
from .assessment.viewsets import AssessmentViewSet  # noqa: E402
from .credit.viewsets import (  # noqa: E402
    AssessmentPolicyViewSet,
    CreditEntryViewSet,
    DeductionRuleViewSet,
    PointsRuleViewSet,
)
from .periods.viewsets import PublicationViewSet  # noqa: E402


@hooks.register("register_admin_viewset")
def register_credit():
    """The ledger, assessments, publications and rules, under the Learning menu."""
    viewsets = [
        (CreditEntryViewSet, "learning_credit_entry"),
        (AssessmentViewSet, "learning_assessment"),
        (PublicationViewSet, "learning_publication"),
        (PointsRuleViewSet, "learning_points_rule"),
        (DeductionRuleViewSet, "learning_deduction_rule"),
        (AssessmentPolicyViewSet, "learning_assessment_policy"),
    ]
    return [
        viewset(name, menu_hook=LEARNING_MENU_HOOK, menu_order=order)
        for order, (viewset, name) in enumerate(viewsets, start=300)
    ]


# --- end of credit and periods ----------------------------------------------------------
