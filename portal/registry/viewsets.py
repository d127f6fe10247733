"""The registry in the Wagtail admin: the admin mixins every wing's viewsets share, and the
member ledger. Organisations, pairings and role assignments are in ``organization_viewsets``,
with the menu group. Every view is scoped to the organisations the user keeps."""

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import BaseListingView, BaseObjectMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log

from portal.registry import services
from portal.registry.forms import validation_errors_add
from portal.registry.models import Member, Organization
from portal.registry.selectors import (
    members_kept_at_origin,
    members_visible_to,
    organizations_managed_by,
)
from portal.registry.spreadsheets import cell_safe


class ServiceFormMixin:
    """Create and edit views that save through a service: its refusal is shown on the form,
    on the field it names, and nothing is written."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            validation_errors_add(form, exc)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ScopedQuerysetMixin:
    """Lists and object views read through one scope, so nothing outside it is listed or opened
    (an object outside is a 404). Subclasses define ``scoped_queryset``."""

    def get_base_queryset(self):  # listings: Wagtail adds search, filters and ordering
        if isinstance(self, BaseObjectMixin):  # an object's history or uses list Wagtail's rows
            return super().get_base_queryset()
        return self.scoped_queryset()

    def get_queryset(self):  # object views: the object is looked up in the scope
        if isinstance(self, BaseListingView):
            return super().get_queryset()
        return self.scoped_queryset()

    def get_base_object_queryset(self):  # the object of a history, usage or inspect view
        return self.scoped_queryset()

    def get_object(self, *args):  # the inspect view looks in the model's manager
        if isinstance(self, generic.InspectView):
            return get_object_or_404(self.scoped_queryset(), pk=self.pk)
        return super().get_object(*args)


class ScopedViewSetMixin:
    """A model viewset whose object's history and uses are read through ``scope`` (the
    ``ScopedQuerysetMixin`` subclass its other views use), so they are a 404 outside it as
    edit and inspect are. No copy view: a copy's form would show the original's fields, ID
    and phone numbers included, and nothing in these ledgers is made by copying."""

    scope: type[ScopedQuerysetMixin]
    copy_view_enabled = False

    @property
    def history_view_class(self):
        return type("ScopedHistoryView", (self.scope, generic.HistoryView), {})

    @property
    def usage_view_class(self):
        return type("ScopedUsageView", (self.scope, generic.UsageView), {})


class FormulaSafeExportMixin:
    """For an index view with Wagtail's CSV and XLSX export: every cell goes through
    ``cell_safe``, as the project's own exports do (Wagtail writes ``=HYPERLINK(…)`` or
    ``@SUM(…)`` in a name as it is, and a spreadsheet program would run it)."""

    def preprocess_field_value(self, field, value, export_format):
        return cell_safe(super().preprocess_field_value(field, value, export_format))


class FormClassViewSet(ModelViewSet):
    """A model viewset whose create and edit views use the form class it names."""

    form_class = None

    def get_form_class(self, for_update=False):
        return self.form_class


# --- Members --------------------------------------------------------------------------


class MemberForm(WagtailAdminModelForm):
    class Meta:
        model = Member
        fields = [
            "name",
            "id_number",
            "gender",
            "birth_date",
            "phone",
            "joined_party_on",
            "origin",
            "floating_status",
            "floating_since",
            "host",
            "host_city",
            "employer",
        ]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["origin"].queryset = organizations_managed_by(for_user).home_side()
        self.fields["host"].queryset = Organization.objects.host_side()
        # Both follow from the ID number when left empty.
        self.fields["gender"].required = False
        self.fields["birth_date"].required = False
        self.fields["gender"].help_text = _("Leave empty to take it from the ID number.")
        self.fields["birth_date"].help_text = _("Leave empty to take it from the ID number.")

    def clean(self):
        cleaned = super().clean()
        probe = Member(
            id_number=cleaned.get("id_number", ""),
            gender=cleaned.get("gender") or "",
            birth_date=cleaned.get("birth_date"),
        )
        probe.fill_from_id_number()
        cleaned["gender"], cleaned["birth_date"] = probe.gender, probe.birth_date
        return cleaned


class MemberFilterSet(WagtailFilterSet):
    township = django_filters.ModelChoiceFilter(
        label=_("Township"),
        queryset=lambda request: organizations_managed_by(request.user).filter(
            level=Organization.Level.TOWNSHIP
        ),
        method="filter_township",
    )

    class Meta:
        model = Member
        fields = ["floating_status", "gender", "host"]

    def filter_township(self, queryset, name, value):
        return queryset.filter(origin__path__startswith=value.path)


class ScopedMemberQuerysetMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        return members_visible_to(self.request.user).select_related("origin", "host", "user")


# Dual management: the host side sees the members it hosts (inspect), but their core ledger
# data (ID, origin) stays with the origin side, the only one that edits or deletes them.
class OriginMemberQuerysetMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        return members_kept_at_origin(self.request.user).select_related("origin", "host", "user")


class MemberIndexView(FormulaSafeExportMixin, ScopedMemberQuerysetMixin, generic.IndexView):
    def get_base_queryset(self):
        kept = members_kept_at_origin(self.request.user).filter(pk=OuterRef("pk"))
        return super().get_base_queryset().annotate(kept_at_origin=Exists(kept))

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if instance.kept_at_origin else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if instance.kept_at_origin else None


def _member_url(member: Member) -> str:
    """The edit view for the origin side, the read-only inspect view for the host side."""
    view = "edit" if getattr(member, "kept_at_origin", True) else "inspect"
    return reverse(f"portal_member:{view}", args=[member.pk])


class MemberCreateView(generic.CreateView):
    def save_instance(self):
        member = services.member_create(**self.form.cleaned_data)
        log(instance=member, action="wagtail.create", user=self.request.user)
        return member


class MemberEditView(OriginMemberQuerysetMixin, generic.EditView):
    def save_instance(self):
        member = services.member_update(member=self.form.instance, data=self.form.cleaned_data)
        log(instance=member, action="wagtail.edit", user=self.request.user)
        return member

    @property
    def header_buttons(self):
        url = reverse("portal_member:activation", args=[self.object.pk])
        label = _("Issue an activation code")
        return [*super().header_buttons, HeaderButton(label, url=url, icon_name="key")]


class MemberInspectView(ScopedMemberQuerysetMixin, generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=self.pk)

    def _kept_at_origin(self) -> bool:
        return members_kept_at_origin(self.request.user).filter(pk=self.object.pk).exists()

    def get_edit_url(self):
        return super().get_edit_url() if self._kept_at_origin() else None

    def get_delete_url(self):
        return super().get_delete_url() if self._kept_at_origin() else None


class MemberDeleteView(OriginMemberQuerysetMixin, generic.DeleteView):
    pass


def member_activation(request, pk):
    """Issue a one-time activation code and show it once, to the admin who asked for it."""
    if not request.user.has_perm("portal.change_member"):
        raise PermissionDenied
    member = get_object_or_404(members_kept_at_origin(request.user), pk=pk)
    context = {"member": member, "code": None, "error": None}
    if request.method == "POST":
        try:
            context["code"] = services.member_account_issue(member=member, issued_by=request.user)
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
        else:
            log(instance=member, action="portal.activation_code", user=request.user)
    return render(request, "portal/admin/member_activation.html", context)


class MemberViewSet(ScopedViewSetMixin, FormClassViewSet):
    scope = ScopedMemberQuerysetMixin
    model = Member
    icon = "user"
    menu_label = _("Member ledger")
    url_prefix = "members"
    add_to_admin_menu = False
    form_class = MemberForm
    filterset_class = MemberFilterSet
    search_fields = ["name", "phone", "employer", "host_city"]
    search_backend_name = None
    index_view_class = MemberIndexView
    add_view_class = MemberCreateView
    edit_view_class = MemberEditView
    inspect_view_class = MemberInspectView
    delete_view_class = MemberDeleteView
    inspect_view_enabled = True
    inspect_view_fields = [
        "name",
        "gender",
        "birth_date",
        "masked_id_number",
        "masked_phone",
        "joined_party_on",
        "origin",
        "floating_status",
        "floating_since",
        "host",
        "host_city",
        "employer",
    ]
    list_display = [
        TitleColumn("name", label=_("full name"), get_url=_member_url),
        Column("get_gender_display", label=_("gender")),
        Column("masked_phone", label=_("phone")),
        Column("masked_id_number", label=_("ID number")),
        Column("origin", label=_("origin branch")),
        Column("get_floating_status_display", label=_("floating status")),
        Column("host_city", label=_("host city")),
    ]
    list_export = [
        "name",
        "get_gender_display",
        "masked_phone",
        "masked_id_number",
        "origin",
        "get_floating_status_display",
        "floating_since",
        "host",
        "host_city",
        "employer",
    ]
    export_headings = {
        "name": _("full name"),
        "get_gender_display": _("gender"),
        "masked_phone": _("phone"),
        "masked_id_number": _("ID number"),
        "origin": _("origin branch"),
        "get_floating_status_display": _("floating status"),
        "floating_since": _("floating since"),
        "host": _("host organisation"),
        "host_city": _("host city"),
        "employer": _("employer"),
    }
    export_filename = "members"

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/activation/", member_activation, name="activation"),
        ]
