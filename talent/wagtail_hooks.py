"""The talent pool in the Wagtail admin."""

from wagtail import hooks

from talent import views
from talent.desk import views as desk_views
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
    desk_views.register_log_actions(actions)


# --- The county org admin's steps on a profile: consent and the negative list ------------
@hooks.register("register_log_actions")
def register_talent_admin_log_actions(actions):
    views.register_log_actions(actions)


# --- Shortlists (候选名单) and saved searches (保存的检索) of the recruiters -------------------
@hooks.register("register_admin_viewset")
def register_shortlists():
    return [ShortlistViewSet("talent_shortlists"), SavedSearchViewSet("talent_saved_searches")]
