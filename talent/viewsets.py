"""The talent pool in the Wagtail admin: profiles and the base searches (两委 eligibility).

Recruiters see the profiles of the pool whose home lies in the organisations they recruit for
(a county recruiter sees all); county org admins see and edit every profile, in the pool or
not (a member's profile waits there for consent), upload the talent ledger, record consent,
keep the negative list and the base searches. Phone and ID numbers are masked in the list.
What lies outside is a 404. Who sees what: talent.selectors.

``MenuViewSet`` is the talent wings' top-level menu item (the desk, shortlists, saved
searches): one rule of talent.selectors decides who sees the item and opens its views.
"""

import copy
import functools
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import ButtonsColumnMixin, Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.registry.selectors import manages_a_county
from portal.registry.viewsets import ScopedQuerysetMixin, ScopedViewSetMixin
from talent import views
from talent.ledger.views import talent_import_view
from talent.models import BaseSearch, CommitteeRole, TalentProfile
from talent.selectors import consent_state, is_recruiter, profiles_administered_by
from talent.services import EDITABLE_FIELDS

ALL_ACTIONS = frozenset({"add", "change", "delete", "view"})


class RuleMenuItem(MenuItem):
    """A menu item shown to the users its rule (user -> bool) lets in."""

    def __init__(self, *args, rule: Callable[[object], bool], **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule

    def is_shown(self, request):
        return self.rule(request.user)


class MenuViewSet(ViewSet):
    """A group of admin views under one top-level menu item that opens its index view.

    ``rule`` (a selector, user -> bool) decides who sees the menu item and who may open any
    of the ``routes`` ((route, view, name), the first named "index"); anyone else is refused
    with PermissionDenied before the view runs.
    """

    add_to_admin_menu = True
    rule: Callable[[object], bool] = staticmethod(lambda user: False)
    routes: tuple[tuple[str, Callable, str], ...] = ()

    @property
    def menu_url(self):
        return reverse(f"{self.name}:index")

    def get_menu_item(self, order=None):
        return RuleMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=self.get_menu_item_order(order),
            rule=self.rule,
        )

    def get_urlpatterns(self):
        return [path(route, self._guarded(view), name=name) for route, view, name in self.routes]

    def _guarded(self, view: Callable) -> Callable:
        rule = self.rule

        @functools.wraps(view)
        def guarded(request, *args, **kwargs):
            if not rule(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded


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


class TalentProfileViewSet(ScopedViewSetMixin, ModelViewSet):
    scope = ProfileScopeMixin
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
    # What the services let a caller set, but the member link and the roles; skills after
    # the education.
    form_fields = [
        field
        for name in EDITABLE_FIELDS
        if name not in ("member", "roles")
        for field in (("skills", name) if name == "venture" else (name,))
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
        return [
            *super().get_urlpatterns(),
            path("import/", talent_import_view, name="import"),
            path("consent/<int:pk>/", views.consent_view, name="consent"),
            path("negative-list/<int:pk>/", views.negative_list_view, name="negative_list"),
            path(
                "negative-list/<int:pk>/lift/<int:entry_pk>/",
                views.negative_lift_view,
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
