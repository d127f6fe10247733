"""The branch dashboard (secretary): members behind pace, participation by branch, charts and
an export, all for the members the org admin keeps (``members_visible_to``: on the host side,
those of the paired townships living there)."""

import io

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from portal.models import Organization, Role
from portal.registry.identity import mask_phone
from portal.registry.selectors import members_visible_to
from portal.registry.spreadsheets import cell_safe

from ..attendance.viewsets import OrgAdminViewSet
from . import selectors

LIST_LIMIT = 200
BAR_WIDTH = 240  # px of the longest bar in the inline charts


def dashboard_roots(user) -> list[Organization]:
    """The subtrees the user administers (every organisation's root for a superuser)."""
    if user.is_superuser:
        return list(Organization.get_root_nodes())
    roots = Organization.objects.filter(
        role_assignments__user=user, role_assignments__role=Role.ORG_ADMIN
    ).order_by("path")
    # A role inside another subtree the user also keeps adds nothing.
    kept: list[Organization] = []
    for root in roots:
        if not any(root.path.startswith(other.path) for other in kept):
            kept.append(root)
    return kept


def _require_org_admin(request) -> list[Organization]:
    roots = dashboard_roots(request.user)
    if not roots:
        raise PermissionDenied
    return roots


def _bars(rows: list[tuple[str, float, str]]) -> list[dict]:
    """Rows of (label, value, shown text) as bar widths for the inline SVG charts."""
    top = max((value for _label, value, _text in rows), default=0) or 1
    return [
        {"label": label, "text": text, "width": round(BAR_WIDTH * value / top), "y": index * 24}
        for index, (label, value, text) in enumerate(rows)
    ]


def dashboard(request):
    roots = _require_org_admin(request)
    kept = members_visible_to(request.user)
    today = timezone.localdate()
    behind = selectors.members_behind_pace(
        organizations=roots, today=today, members=kept
    ).select_related("origin", "host")
    branches = selectors.participation_by_branch(organizations=roots, today=today, members=kept)
    hours = selectors.hour_distribution(organizations=roots, today=today, members=kept)
    participation = _bars(
        [(row.organization.name, row.share, f"{row.active}/{row.members}") for row in branches]
    )
    context = {
        "roots": roots,
        "today": today,
        "target": selectors.pace_target(today),
        "yearly": settings.LEARNING_YEARLY_HOURS,
        "behind": behind[:LIST_LIMIT],
        "behind_count": behind.count(),
        "branches": branches,
        "participation_bars": participation,
        "participation_height": 24 * len(participation),
        "hour_buckets": hours,
        "hour_bars": _bars([(b.label, b.count, str(b.count)) for b in hours]),
        "hour_height": 24 * len(hours),
        "list_limit": LIST_LIMIT,
    }
    return render(request, "learning/admin/dashboard_index.html", context)


def dashboard_export(request):
    """Members behind pace as an .xlsx sheet: masked phone, no ID number."""
    roots = _require_org_admin(request)
    today = timezone.localdate()
    kept = members_visible_to(request.user)
    behind = selectors.members_behind_pace(
        organizations=roots, today=today, members=kept
    ).values_list("name", "origin__name", "host__name", "phone", "hours")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Behind pace"))
    sheet.append(
        [
            _("full name"),
            _("origin branch"),
            _("host organisation"),
            _("phone"),
            _("hours this year"),
            _("pace by today"),
        ]
    )
    target = float(selectors.pace_target(today))
    # Plain rows, not model instances: the sheet of a county holds 100,000 members.
    for name, origin, host, phone, hours in behind.iterator(chunk_size=5000):
        row = [name, origin or "", host or "", mask_phone(phone), float(hours), target]
        sheet.append([cell_safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="behind-pace-{today:%Y%m%d}.xlsx"'
    return response


class DashboardViewSet(OrgAdminViewSet):
    icon = "view"
    menu_label = gettext_lazy("Branch dashboard")
    url_prefix = "learning/dashboard"

    def get_urlpatterns(self):
        return [
            path("", dashboard, name="index"),
            path("export/", dashboard_export, name="export"),
        ]
