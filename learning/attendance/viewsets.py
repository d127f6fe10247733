"""Offline attendance in the Wagtail admin, for org admins (branch secretaries): the
sessions of the tracks they keep, and a box per member to tick who attended."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from portal.registry.models import Role
from portal.registry.selectors import holds_role

from . import selectors, services
from .forms import AttendanceForm


def _attendance_allowed(user) -> bool:
    return user.is_superuser or holds_role(user, Role.ORG_ADMIN)


class OrgAdminMenuItem(MenuItem):
    """Shown only to org admins (branch secretaries) and superusers."""

    def is_shown(self, request):
        return _attendance_allowed(request.user)


def _require_org_admin(request) -> None:
    if not _attendance_allowed(request.user):
        raise PermissionDenied


def attendance_index(request):
    _require_org_admin(request)
    steps = selectors.offline_steps_for(request.user)[:200]
    return render(request, "learning/admin/attendance_index.html", {"steps": steps})


def attendance_step(request, step_id: int):
    """The members of the secretary's subtree who have the track, with a box each."""
    _require_org_admin(request)
    step = get_object_or_404(selectors.offline_steps_for(request.user), pk=step_id)
    members = list(selectors.attendance_members(step=step, user=request.user)[:2000])
    ticked = set(
        step.attendance.filter(attended=True, member__in=[m.pk for m in members]).values_list(
            "member_id", flat=True
        )
    )
    initial = {"present": sorted(ticked), "listed": [m.pk for m in members]}
    form = AttendanceForm(request.POST or None, initial=initial, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            completed = services.attendance_record(
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
    context = {
        "step": step,
        "form": form,
        "members": members,
        "checked": _checked(form, ticked),
        # No boxes to tick before the session: the save would be refused.
        "held": selectors.session_held(step),
    }
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
