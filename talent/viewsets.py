"""The talent pool in the Wagtail admin: profiles and the base searches (两委 eligibility).

Recruiters see the profiles of the pool whose home lies in the organisations they recruit for
(a county recruiter sees all); county org admins see and edit the whole pool and keep the base
searches. Phone and ID numbers are masked in the list. What lies outside is a 404.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.models import Role
from portal.selectors import manages_a_county, organizations_for_role
from portal.viewsets import ScopedQuerysetMixin

from .models import BaseSearch, TalentProfile

ALL_ACTIONS = frozenset({"add", "change", "delete", "view"})


def is_recruiter(user) -> bool:
    return organizations_for_role(user, Role.RECRUITER).exists()


class TalentPolicy(BasePermissionPolicy):
    """County org admins may do ``admin_actions``; recruiters ``recruiter_actions``."""

    def __init__(self, model, *, admin_actions, recruiter_actions):
        super().__init__(model)
        self.admin_actions = frozenset(admin_actions)
        self.recruiter_actions = frozenset(recruiter_actions)

    def user_has_permission(self, user, action):
        if not user.is_authenticated or not user.is_active:
            return False
        if action in self.admin_actions and manages_a_county(user):
            return True
        return action in self.recruiter_actions and is_recruiter(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(
    TalentProfile,
    TalentPolicy(
        TalentProfile, admin_actions={"add", "change", "view"}, recruiter_actions={"view"}
    ),
)
register_permission_policy(
    BaseSearch, TalentPolicy(BaseSearch, admin_actions=ALL_ACTIONS, recruiter_actions={"view"})
)


def profiles_visible_to(user):
    """County org admins: the pool; recruiters: the pool's people from where they recruit."""
    pool = TalentProfile.objects.in_pool().select_related("member", "hometown_village")
    if manages_a_county(user):
        return pool
    organizations = organizations_for_role(user, Role.RECRUITER)
    if organizations.filter(level="county").exists():
        return pool
    return pool.filter(
        Q(hometown_village__in=organizations) | Q(hometown_township__in=organizations)
    )


class ProfileScopeMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        return profiles_visible_to(self.request.user)

    def get_object(self, *args):  # the inspect view looks in the model's manager
        if isinstance(self, generic.InspectView):
            return get_object_or_404(self.scoped_queryset(), pk=self.pk)
        return super().get_object(*args)


def _scoped(view: type) -> type:
    return type(view.__name__, (ProfileScopeMixin, view), {})


class TalentProfileViewSet(ModelViewSet):
    model = TalentProfile
    icon = "user"
    menu_label = _("Talent profiles")
    url_prefix = "talent/profiles"
    index_view_class = _scoped(ModelViewSet.index_view_class)
    edit_view_class = _scoped(ModelViewSet.edit_view_class)
    delete_view_class = _scoped(ModelViewSet.delete_view_class)
    inspect_view_class = _scoped(ModelViewSet.inspect_view_class)
    inspect_view_enabled = True
    # Contact numbers are not shown here: revealing them is the recruiter desk's logged step.
    inspect_view_fields_exclude = ["id", "phone", "id_number", "member"]
    search_fields = ["name", "member__name", "employer", "occupation", "current_city"]
    list_filter = ["willingness", "education", "industry", "reserve_cadre_trained"]
    form_fields = [
        "name",
        "gender",
        "birth_date",
        "id_number",
        "phone",
        "hometown_township",
        "hometown_village",
        "current_city",
        "employer",
        "industry",
        "occupation",
        "education",
        "skills",
        "venture",
        "venture_employees",
        "honours",
        "trainings",
        "willingness",
        "self_introduction",
    ]
    list_display = [
        TitleColumn("display_name", label=_("full name"), url_name="talent_profile:inspect"),
        Column("masked_phone", label=_("phone")),
        Column("masked_id_number", label=_("ID number")),
        Column("hometown_village", label=_("home village")),
        Column("get_willingness_display", label=_("willingness to return")),
        Column("latest_grade", label=_("latest assessment grade")),
        DateColumn("updated_at", label=_("updated at")),
    ]


class BaseSearchViewSet(ModelViewSet):
    model = BaseSearch
    icon = "tasks"
    menu_label = _("Base searches")
    url_prefix = "talent/base-searches"
    form_fields = [
        "name",
        "max_age",
        "min_education",
        "min_grade",
        "exclude_negative_list",
        "filters",
    ]
    list_display = [
        TitleColumn("name", label=_("name"), url_name="talent_base_search:edit"),
        Column("max_age", label=_("age limit")),
        Column("get_min_education_display", label=_("minimum education")),
        Column("get_min_grade_display", label=_("grade at least")),
        DateColumn("updated_at", label=_("updated at")),
    ]


class TalentViewSetGroup(ViewSetGroup):
    items = (
        TalentProfileViewSet("talent_profile"),
        BaseSearchViewSet("talent_base_search"),
    )
    menu_label = _("Talent pool")
    menu_icon = "group"
    menu_order = 230
