"""Organisations, pairings and role assignments in the Wagtail admin, and the registry's menu
group (the member ledger is in ``viewsets``). Every view is scoped to the organisations the user
keeps."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.log_actions import log

from portal.registry import services
from portal.registry.identity import mask_login
from portal.registry.models import Organization, Pairing, RoleAssignment
from portal.registry.selectors import (
    manages_a_county,
    organizations_managed_by,
    users_choosable_by,
)
from portal.registry.viewsets import (
    FormClassViewSet,
    MemberViewSet,
    ScopedQuerysetMixin,
    ScopedViewSetMixin,
    ServiceFormMixin,
)

# --- Organisations --------------------------------------------------------------------


class OrganizationForm(WagtailAdminModelForm):
    parent = forms.ModelChoiceField(
        label=_("parent organisation"), queryset=Organization.objects.none()
    )

    class Meta:
        model = Organization
        fields = ["name", "code", "kind", "level", "city", "contact_name", "publishes"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if self.instance.pk:
            del self.fields["parent"]  # moving a subtree is not done from this form
        else:
            self.fields["parent"].queryset = organizations_managed_by(for_user)

    def clean(self):
        cleaned = super().clean()
        editing = "parent" not in self.fields
        # On edit the parent is the one in the tree (None for the county at the root).
        parent = self.instance.get_parent() if editing else cleaned.get("parent")
        if cleaned.get("level") and (editing or parent is not None):
            try:
                Organization(level=cleaned["level"]).clean_parent(parent)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class ScopedOrganizationQuerysetMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        return organizations_managed_by(self.request.user)


class OrganizationIndexView(ScopedOrganizationQuerysetMixin, generic.IndexView):
    pass


class OrganizationCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        organization = services.organization_create(**data)
        log(instance=organization, action="wagtail.create", user=self.request.user)
        return organization


class OrganizationEditView(ScopedOrganizationQuerysetMixin, generic.EditView):
    def save_instance(self):
        organization = services.organization_update(
            organization=self.form.instance, data=self.form.cleaned_data
        )
        log(instance=organization, action="wagtail.edit", user=self.request.user)
        return organization


class OrganizationViewSet(ScopedViewSetMixin, FormClassViewSet):
    scope = ScopedOrganizationQuerysetMixin
    model = Organization
    icon = "group"
    menu_label = _("Organisations")
    url_prefix = "organisations"
    form_class = OrganizationForm
    index_view_class = OrganizationIndexView
    add_view_class = OrganizationCreateView
    edit_view_class = OrganizationEditView
    search_fields = ["name", "code", "city"]
    search_backend_name = None
    list_filter = ["level", "kind"]
    list_display = [
        TitleColumn("indented_name", label=_("name"), url_name="portal_organization:edit"),
        Column("code", label=_("code")),
        Column("get_kind_display", label=_("kind")),
        Column("get_level_display", label=_("level")),
        Column("city", label=_("host city")),
    ]
    ordering = ["path"]


# --- Pairings -------------------------------------------------------------------------


class PairingForm(WagtailAdminModelForm):
    class Meta:
        model = Pairing
        fields = ["origin", "host", "signed_on", "note"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["origin"].queryset = organizations_managed_by(for_user).home_side()
        self.fields["host"].queryset = Organization.objects.host_side()


class ScopedPairingQuerysetMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        origins = organizations_managed_by(self.request.user)
        return Pairing.objects.filter(origin__in=origins).select_related("origin", "host")


class PairingIndexView(ScopedPairingQuerysetMixin, generic.IndexView):
    pass


class PairingCreateView(generic.CreateView):
    def save_instance(self):
        pairing = services.pairing_create(**self.form.cleaned_data)
        log(instance=pairing, action="wagtail.create", user=self.request.user)
        return pairing


class PairingEditView(ScopedPairingQuerysetMixin, generic.EditView):
    pass


class PairingDeleteView(ScopedPairingQuerysetMixin, generic.DeleteView):
    pass


class PairingViewSet(ScopedViewSetMixin, FormClassViewSet):
    scope = ScopedPairingQuerysetMixin
    model = Pairing
    icon = "link"
    menu_label = _("Pairings")
    url_prefix = "pairings"
    form_class = PairingForm
    index_view_class = PairingIndexView
    add_view_class = PairingCreateView
    edit_view_class = PairingEditView
    delete_view_class = PairingDeleteView
    list_display = [
        TitleColumn("origin", label=_("origin organisation"), url_name="portal_pairing:edit"),
        Column("host", label=_("host organisation")),
        Column("signed_on", label=_("agreement signed on")),
    ]


# --- Role assignments -----------------------------------------------------------------


def user_label(user) -> str:
    """A login as others may see it: a member's phone number masked."""
    login = mask_login(user.get_username())
    return f"{user.first_name} ({login})" if user.first_name else login


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return user_label(obj)


class RoleAssignmentForm(WagtailAdminModelForm):
    """Share an organisation subtree with a user in a role (Plone's sharing tab). The user is
    chosen among the people the admin keeps; the services decide who may grant what."""

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "organization"]
        field_classes = {"user": UserChoiceField}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["user"].queryset = users_choosable_by(for_user).order_by("username")
        self.fields["organization"].queryset = organizations_managed_by(for_user)
        if not manages_a_county(for_user):  # offer only what the services would accept
            self.fields["role"].choices = [
                choice
                for choice in self.fields["role"].choices
                if choice[0] not in services.COUNTY_GRANTED_ROLES
            ]


class ScopedRoleAssignmentQuerysetMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        organizations = organizations_managed_by(self.request.user)
        return RoleAssignment.objects.filter(organization__in=organizations).select_related(
            "user", "organization"
        )


class RoleAssignmentIndexView(ScopedRoleAssignmentQuerysetMixin, generic.IndexView):
    pass


class RoleAssignmentCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        return services.role_grant(**self.form.cleaned_data, actor=self.request.user)


class RoleAssignmentEditView(ServiceFormMixin, ScopedRoleAssignmentQuerysetMixin, generic.EditView):
    def save_instance(self):
        before = RoleAssignment.objects.select_related("user", "organization").get(
            pk=self.object.pk
        )
        actor = self.request.user
        services.role_revoke(
            user=before.user, role=before.role, organization=before.organization, actor=actor
        )
        return services.role_grant(**self.form.cleaned_data, actor=actor)


class RoleAssignmentDeleteView(ScopedRoleAssignmentQuerysetMixin, generic.DeleteView):
    def delete_action(self):
        assignment = self.object
        services.role_revoke(
            user=assignment.user,
            role=assignment.role,
            organization=assignment.organization,
            actor=self.request.user,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
            return redirect(self.index_url_name)


class RoleAssignmentViewSet(ScopedViewSetMixin, FormClassViewSet):
    scope = ScopedRoleAssignmentQuerysetMixin
    model = RoleAssignment
    icon = "key"
    menu_label = _("Roles")
    url_prefix = "roles"
    form_class = RoleAssignmentForm
    index_view_class = RoleAssignmentIndexView
    add_view_class = RoleAssignmentCreateView
    edit_view_class = RoleAssignmentEditView
    delete_view_class = RoleAssignmentDeleteView
    search_fields = ["user__username", "user__first_name", "organization__name"]
    search_backend_name = None
    list_filter = ["role"]
    list_display = [
        TitleColumn(
            "user",
            label=_("user"),
            accessor=lambda assignment: user_label(assignment.user),
            url_name="portal_role:edit",
        ),
        Column("get_role_display", label=_("role")),
        Column("organization", label=_("organisation")),
    ]


class RegistryViewSetGroup(ModelViewSetGroup):
    items = (
        MemberViewSet("portal_member"),
        OrganizationViewSet("portal_organization"),
        PairingViewSet("portal_pairing"),
        RoleAssignmentViewSet("portal_role"),
    )
    menu_label = _("Registry")
    menu_icon = "folder-open-inverse"
    menu_order = 200
