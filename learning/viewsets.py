"""Learning in the Wagtail admin: assigning tracks, and recording offline attendance.

Every list and object is read through the user's scope
(portal.registry.viewsets.ScopedQuerysetMixin): what lies outside is a 404.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.models import Member
from portal.registry.selectors import organizations_managed_by
from portal.registry.viewsets import ScopedQuerysetMixin

from . import assignments, attendance, monthly
from .models import TrackAssignment, TrackPage

# --- Assignments ----------------------------------------------------------------------


class AssignmentPermissionPolicy(BasePermissionPolicy):
    """Org admins and section editors assign; where, the service decides (learning.assignments)."""

    def user_has_permission(self, user, action):
        return action in {"add", "change", "delete", "view"} and assignments.user_may_assign(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(TrackAssignment, AssignmentPermissionPolicy(TrackAssignment))


class AssignmentForm(WagtailAdminModelForm):
    member_phone = forms.CharField(
        label=_("member's phone"),
        required=False,
        max_length=11,
        help_text=_("To assign the track to one member instead of an organisation."),
    )

    class Meta:
        model = TrackAssignment
        fields = ["track", "organization"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.for_user = for_user
        self.fields["track"].queryset = assignments.assignable_tracks(for_user).order_by("title")
        self.fields["organization"].queryset = assignments.assignable_organizations(
            for_user
        ).order_by("path")
        self.fields["organization"].required = False
        if self.instance.member_id:
            self.initial["member_phone"] = self.instance.member.phone

    def _post_clean(self):
        """The model is validated by the service (assignments.track_assign), with errors
        that name the field, not by the form's generic constraint check."""

    def clean_member_phone(self):
        phone = self.cleaned_data["member_phone"].strip()
        if not phone:
            return None
        member = assignments.assignable_members(self.for_user).filter(phone=phone).first()
        if member is None:
            raise ValidationError(_("No member you keep has this phone number."))
        return member


def _assign_from_form(form, user) -> TrackAssignment:
    data = form.cleaned_data
    try:
        return assignments.track_assign(
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
        return assignments.assignments_visible_to(self.request.user)


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


class AssignmentViewSet(ModelViewSet):
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


# --- Offline attendance ---------------------------------------------------------------


def _attendance_allowed(user) -> bool:
    return user.is_superuser or organizations_managed_by(user).exists()


class OrgAdminMenuItem(MenuItem):
    """Shown only to org admins (branch secretaries) and superusers."""

    def is_shown(self, request):
        return _attendance_allowed(request.user)


def _require_org_admin(request) -> None:
    if not _attendance_allowed(request.user):
        raise PermissionDenied


def attendance_index(request):
    _require_org_admin(request)
    steps = attendance.offline_steps_for(request.user)[:200]
    return render(request, "learning/admin/attendance_index.html", {"steps": steps})


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("present"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Those ticked get the session's credit. Un-ticking someone later records the "
            "absence but does not take back credit already granted: correct that with a "
            "reversal in the member's ledger."
        ),
    )
    listed = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args, members: list[Member], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(m.pk, m.name) for m in members]
        self.fields["present"].choices = choices
        self.fields["listed"].choices = choices


def attendance_step(request, step_id: int):
    """The members of the secretary's subtree who have the track, with a box each."""
    _require_org_admin(request)
    step = get_object_or_404(attendance.offline_steps_for(request.user), pk=step_id)
    members = list(attendance.attendance_members(step=step, user=request.user)[:2000])
    ticked = set(
        step.attendance.filter(attended=True, member__in=[m.pk for m in members]).values_list(
            "member_id", flat=True
        )
    )
    initial = {"present": sorted(ticked), "listed": [m.pk for m in members]}
    form = AttendanceForm(request.POST or None, initial=initial, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            completed = attendance.attendance_record(
                step=step,
                member_ids_present=form.cleaned_data["present"],
                member_ids_listed=form.cleaned_data["listed"],
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            message = _("Attendance saved; %(count)d members received the session's credit.")
            messages.success(request, message % {"count": completed})
            return redirect("learning_attendance:step", step_id=step.pk)
    context = {"step": step, "form": form, "members": members, "checked": _checked(form, ticked)}
    return render(request, "learning/admin/attendance_step.html", context)


def _checked(form, ticked: set[int]) -> set[int]:
    if form.is_bound:
        return {int(pk) for pk in form.data.getlist("present") if str(pk).isdigit()}
    return ticked


class OrgAdminViewSet(ViewSet):
    """Plain admin views for org admins, in the menu as the viewset's ``index`` URL."""

    menu_item_class = OrgAdminMenuItem

    @property
    def menu_url(self):
        return reverse(f"{self.name}:index")


class AttendanceViewSet(OrgAdminViewSet):
    icon = "tasks"
    menu_label = _("Offline attendance")
    url_prefix = "learning/attendance"

    def get_urlpatterns(self):
        return [
            path("", attendance_index, name="index"),
            path("<int:step_id>/", attendance_step, name="step"),
        ]


# --- Monthly pack now -----------------------------------------------------------------


def monthly_pack_now(request, page_id: int):
    """Make this month's pack from a template at once, instead of waiting for the 1st."""
    template = get_object_or_404(TrackPage, pk=page_id, is_template=True)
    if not template.get_parent().permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    today = timezone.localdate()
    if request.method == "POST":
        pack = monthly.monthly_pack_create(
            template=template, year=today.year, month=today.month, user=request.user
        )
        if pack is None:
            pack = monthly.monthly_pack_for(template=template, year=today.year, month=today.month)
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
