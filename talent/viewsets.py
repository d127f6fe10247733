"""The talent pool in the Wagtail admin: profiles and the base searches (两委 eligibility).

Recruiters see the profiles of the pool whose home lies in the organisations they recruit for
(a county recruiter sees all); county org admins see and edit every profile, in the pool or
not (a member's profile waits there for consent), upload the talent ledger, record consent,
keep the negative list and the base searches. Phone and ID numbers are masked in the list.
What lies outside is a 404.
"""

import copy

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import ButtonsColumnMixin, Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.models import Role
from portal.registry.selectors import manages_a_county, organizations_for_role
from portal.registry.viewsets import ScopedQuerysetMixin

from .models import BaseSearch, CommitteeRole, TalentProfile

ALL_ACTIONS = frozenset({"add", "change", "delete", "view"})


class MenuViewSet(ViewSet):
    """A group of admin views under one top-level menu item that opens its index view."""

    add_to_admin_menu = True

    @property
    def menu_url(self):
        return reverse(f"{self.name}:index")


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


def profiles_administered_by(user):
    """What the admin lists: for county org admins every profile, consented or not."""
    if manages_a_county(user):
        return TalentProfile.objects.select_related("member", "hometown_village")
    return profiles_visible_to(user)


def county_admin_profile(request, pk) -> TalentProfile:
    """The profile a county org admin works on (consent, the negative list); anyone else is
    refused, and a profile that does not exist is a 404."""
    if not manages_a_county(request.user):
        raise PermissionDenied
    return get_object_or_404(profiles_administered_by(request.user), pk=pk)


def consent_state(profile: TalentProfile) -> str:
    if not profile.member_id:
        return str(_("Not needed (not a member)"))
    if profile.consent_withdrawn_at:
        return str(_("Withdrawn"))
    return str(_("Given") if profile.consented_at else _("Not recorded"))


class ConsentColumn(Column):
    def get_value(self, instance):
        return consent_state(instance)


class ProfileTitleColumn(ButtonsColumnMixin, TitleColumn):
    """The name, linked to the profile, with the listing's buttons for the row (a copy bound
    to the index view of the request)."""

    view = None

    def get_buttons(self, instance, parent_context):
        return self.view.get_list_buttons(instance) if self.view else []


class ProfileScopeMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        return profiles_administered_by(self.request.user)

    def get_object(self, *args):  # the inspect view looks in the model's manager
        if isinstance(self, generic.InspectView):
            return get_object_or_404(self.scoped_queryset(), pk=self.pk)
        return super().get_object(*args)


def _scoped(view: type) -> type:
    return type(view.__name__, (ProfileScopeMixin, view), {})


def _admin_links(profile: TalentProfile) -> list[tuple[str, str, str]]:
    """(label, url, icon) of a county org admin's own steps on a profile."""
    links = []
    if profile.member_id:
        links.append((_("Consent"), reverse("talent_profile:consent", args=[profile.pk]), "tick"))
    url = reverse("talent_profile:negative_list", args=[profile.pk])
    links.append((_("Negative list"), url, "warning"))
    return links


class ProfileIndexView(ProfileScopeMixin, generic.IndexView):
    """For county org admins: the ledger upload in the header, consent on every row."""

    @cached_property
    def administers(self) -> bool:
        return manages_a_county(self.request.user)

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.administers:
            url = reverse("talent_profile:import")
            buttons.append(HeaderButton(_("Import the talent ledger"), url=url, icon_name="upload"))
        return buttons

    @cached_property
    def columns(self):
        columns = []
        for column in super().columns:
            if isinstance(column, ProfileTitleColumn):
                column = copy.copy(column)
                column.view = self
            columns.append(column)
        if self.administers:
            columns.insert(-1, ConsentColumn("consent", label=_("consent")))
        return columns

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.administers:
            for label, url, icon in _admin_links(instance):
                buttons.append(ListingButton(label, url=url, icon_name=icon, priority=30))
        return buttons


class ProfileInspectView(ProfileScopeMixin, generic.InspectView):
    """A county org admin also sees the consent state and the current negative-list entries
    (with their reasons) and the links to change them; a recruiter sees only the flag."""

    def get_field_display_value(self, field_name, field):
        """Chinese words for what Wagtail would show as True, False, None or a list of keys."""
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if field_name == "roles":
            labels = dict(CommitteeRole.choices)
            value = "、".join(str(labels.get(role, role)) for role in value)
        return "-" if value is None or value == "" else value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if manages_a_county(self.request.user):
            context["talent_admin"] = {
                "consent": consent_state(self.object),
                "entries": self.object.negative_entries.filter(lifted_on__isnull=True),
                "links": _admin_links(self.object),
            }
        return context


class TalentProfileViewSet(ModelViewSet):
    model = TalentProfile
    icon = "user"
    menu_label = _("Talent profiles")
    url_prefix = "talent/profiles"
    index_view_class = ProfileIndexView
    edit_view_class = _scoped(ModelViewSet.edit_view_class)
    delete_view_class = _scoped(ModelViewSet.delete_view_class)
    inspect_view_class = ProfileInspectView
    inspect_view_enabled = True
    inspect_template_name = "talent/admin/inspect.html"
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
        ProfileTitleColumn("display_name", label=_("full name"), url_name="talent_profile:inspect"),
        Column("masked_phone", label=_("phone")),
        Column("masked_id_number", label=_("ID number")),
        Column("hometown_village", label=_("home village")),
        Column("get_willingness_display", label=_("willingness to return")),
        Column("latest_grade", label=_("latest assessment grade")),
        DateColumn("updated_at", label=_("updated at")),
    ]

    def get_urlpatterns(self):
        from . import consent_views, negative_views, upload_views

        return [
            *super().get_urlpatterns(),
            path("import/", upload_views.talent_import_view, name="import"),
            path("consent/<int:pk>/", consent_views.consent_view, name="consent"),
            path(
                "negative-list/<int:pk>/", negative_views.negative_list_view, name="negative_list"
            ),
            path(
                "negative-list/<int:pk>/lift/<int:entry_pk>/",
                negative_views.negative_lift_view,
                name="negative_lift",
            ),
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
