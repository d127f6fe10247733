"""The talent pool in the Wagtail admin."""

from django.urls import path
from wagtail import hooks

from talent import views
from talent.desk import reports
from talent.desk.viewsets import TalentDeskViewSet
from talent.saved_searches.viewsets import SavedSearchViewSet
from talent.shortlists.viewsets import ShortlistViewSet
from talent.viewsets import TalentViewSetGroup


# Recruiters work in the admin (the pool, base searches): their role group gets the admin
# permission through portal's hook, as portal knows nothing of talent (ADR 0007's pattern).
@hooks.register("register_role_permissions")
def recruiter_permissions() -> dict[str, list[str]]:
    from portal.models import Role

    return {Role.RECRUITER: ["wagtailadmin.access_admin"]}


@hooks.register("register_admin_viewset")
def register_talent():
    return TalentViewSetGroup()


# --- The recruiter's desk (人才检索): search, reveal a contact (logged), compare, export ---
@hooks.register("register_admin_viewset")
def register_talent_desk():
    return TalentDeskViewSet("talent_desk")


@hooks.register("register_log_actions")
def register_talent_desk_log_actions(actions):
    reports.register_log_actions(actions)


# --- The contact reveals report: county org admins see all, a recruiter their own --------
@hooks.register("register_admin_urls")
def register_contact_reveals_report():
    view = reports.ContactRevealsView
    return [
        path("reports/contact-reveals/", view.as_view(), name="talent_contact_reveals"),
        path(
            "reports/contact-reveals/results/",
            view.as_view(results_only=True),
            name="talent_contact_reveals_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_contact_reveals_menu_item():
    return reports.contact_reveals_menu_item()


# --- The county org admin's steps on a profile: consent and the negative list ------------
@hooks.register("register_log_actions")
def register_talent_admin_log_actions(actions):
    views.register_log_actions(actions)


# --- Shortlists (候选名单) and saved searches (保存的检索) of the recruiters -------------------
@hooks.register("register_admin_viewset")
def register_shortlists():
    return [ShortlistViewSet("talent_shortlists"), SavedSearchViewSet("talent_saved_searches")]
