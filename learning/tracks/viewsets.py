"""Tracks in the Wagtail admin: assigning them, and making this month's pack now.

Every list and object is read through the user's scope
(portal.registry.viewsets.ScopedQuerysetMixin): what lies outside is a 404.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.registry.viewsets import ScopedQuerysetMixin, ScopedViewSetMixin

from ..models import TrackAssignment, TrackPage
from . import selectors, services
from .forms import AssignmentForm

# --- Assignments ----------------------------------------------------------------------


class AssignmentPermissionPolicy(BasePermissionPolicy):
    """Org admins and section editors assign; where, the service decides (services.track_assign)."""

    def user_has_permission(self, user, action):
        return action in {"add", "change", "delete", "view"} and selectors.user_may_assign(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(TrackAssignment, AssignmentPermissionPolicy(TrackAssignment))


def _assign_from_form(form, user) -> TrackAssignment:
    data = form.cleaned_data
    try:
        return services.track_assign(
            track=data["track"],
            organization=data.get("organization"),
            member=data.get("member_phone"),
            user=user,
        )
    except ValidationError as exc:
        _form_errors(form, exc)
        raise


def _form_errors(form, exc: ValidationError) -> None:
    fields = {"member": "member_phone"}
    for field, errors in exc.message_dict.items():
        name = fields.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


class ScopedAssignmentQuerysetMixin(ScopedQuerysetMixin):
    def scoped_queryset(self):
        return selectors.assignments_visible_to(self.request.user)


class AssignmentIndexView(ScopedAssignmentQuerysetMixin, generic.IndexView):
    pass


class AssignmentFormViewMixin:
    """Save through the service; a refusal is shown on the form and Wagtail's transaction
    around the save leaves nothing written."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError:
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)

    def save_instance(self):
        assignment = _assign_from_form(self.form, self.request.user)
        log(instance=assignment, action=self.log_action, user=self.request.user)
        return assignment


class AssignmentCreateView(AssignmentFormViewMixin, generic.CreateView):
    log_action = "wagtail.create"


class AssignmentEditView(ScopedAssignmentQuerysetMixin, AssignmentFormViewMixin, generic.EditView):
    """Changing the target replaces the assignment, within the same scope rules."""

    log_action = "wagtail.edit"

    def save_instance(self):
        TrackAssignment.objects.filter(pk=self.object.pk).delete()
        return super().save_instance()


class AssignmentDeleteView(ScopedAssignmentQuerysetMixin, generic.DeleteView):
    pass


class AssignmentViewSet(ScopedViewSetMixin, ModelViewSet):
    scope = ScopedAssignmentQuerysetMixin
    model = TrackAssignment
    icon = "list-ul"
    menu_label = _("Assignments")
    url_prefix = "learning/assignments"
    form_fields = ["track", "organization"]
    index_view_class = AssignmentIndexView
    add_view_class = AssignmentCreateView
    edit_view_class = AssignmentEditView
    delete_view_class = AssignmentDeleteView
    search_fields = ["track__title", "organization__name", "member__name"]
    search_backend_name = None
    list_display = [
        TitleColumn("track", label=_("track"), url_name="learning_assignment:edit"),
        Column("target", label=_("assigned to"), accessor=lambda a: a.organization or a.member),
        Column("assigned_by", label=_("assigned by")),
        DateColumn("created_at", label=_("assigned at")),
    ]
    ordering = ["-created_at"]

    def get_form_class(self, for_update=False):
        return AssignmentForm


# --- Monthly pack now -----------------------------------------------------------------


def monthly_pack_now(request, page_id: int):
    """Make this month's pack from a template at once, instead of waiting for the 1st."""
    template = get_object_or_404(TrackPage, pk=page_id, is_template=True)
    if not template.get_parent().permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    today = timezone.localdate()
    if request.method == "POST":
        pack = services.monthly_pack_create(
            template=template, year=today.year, month=today.month, user=request.user
        )
        if pack is None:
            pack = selectors.monthly_pack_for(template=template, year=today.year, month=today.month)
            messages.warning(request, _("This month's pack was made before."))
        else:
            messages.success(request, _("This month's pack is ready as a draft."))
        if pack is None:
            return redirect("wagtailadmin_pages:edit", template.pk)
        return redirect("wagtailadmin_pages:edit", pack.pk)
    context = {"template": template, "today": today}
    return render(request, "learning/admin/monthly_pack_confirm.html", context)


class MonthlyPackButton(PageMenuItem):
    label = _("Create this month's pack now")
    icon_name = "copy"
    url_name = "learning_monthly:create"

    def is_shown(self, user):
        page = self.page.specific_deferred
        if not isinstance(page, TrackPage) or not page.is_template:
            return False
        return page.get_parent().permissions_for_user(user).can_add_subpage()


class MonthlyPackViewSet(ViewSet):
    url_prefix = "learning/monthly"

    def get_urlpatterns(self):
        return [path("<int:page_id>/", monthly_pack_now, name="create")]
