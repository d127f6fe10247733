"""The ledger's files in the admin: upload a ledger to import, order a village sheet or a
township workbook. Both start a background job and go to its progress page. Org admins only,
and only for the organisations they keep.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from portal.ledger.files import COLUMN_ALIASES, REQUIRED_FIELDS
from portal.ledger.forms import ExportForm, ImportForm
from portal.ledger.models import Job
from portal.ledger.services import ledger_export_start, member_import_start
from portal.ledger.views import JobViewSet
from portal.registry.forms import validation_errors_add
from portal.registry.models import Role
from portal.registry.selectors import holds_role


def _keeps_organisations(user) -> bool:
    return user.is_superuser or holds_role(user, Role.ORG_ADMIN)


class OrgAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return _keeps_organisations(request.user)


def _require_org_admin(request) -> None:
    if not _keeps_organisations(request.user):
        raise PermissionDenied


def _progress_url(job: Job, back: str) -> str:
    return f"{reverse('portal_jobs:detail', args=[job.pk])}?back={back}"


def ledger_import(request):
    _require_org_admin(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = member_import_start(user=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            return redirect(_progress_url(job, reverse("portal_ledger_import:index")))
    columns = [(aliases[0], name in REQUIRED_FIELDS) for name, aliases in COLUMN_ALIASES.items()]
    return render(request, "portal/jobs/import.html", {"form": form, "columns": columns})


def ledger_export(request):
    _require_org_admin(request)
    form = ExportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = ledger_export_start(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            return redirect(_progress_url(job, reverse("portal_ledger_export:index")))
    return render(request, "portal/jobs/export.html", {"form": form})


class OrgAdminViewSet(ViewSet):
    """One page (``view``) for those who keep organisations, in the ledger files menu."""

    menu_item_class = OrgAdminMenuItem
    view = None

    @property
    def menu_url(self):
        return reverse(f"{self.name}:index")

    def get_urlpatterns(self):
        return [path("", type(self).view, name="index")]


class LedgerImportViewSet(OrgAdminViewSet):
    icon = "upload"
    menu_label = _("Import the ledger")
    url_prefix = "ledger/import"
    view = ledger_import


class LedgerExportViewSet(OrgAdminViewSet):
    icon = "download"
    menu_label = _("Export the ledger")
    url_prefix = "ledger/export"
    view = ledger_export


class LedgerFilesViewSetGroup(ViewSetGroup):
    items = (
        LedgerImportViewSet("portal_ledger_import"),
        LedgerExportViewSet("portal_ledger_export"),
        JobViewSet("portal_jobs"),
    )
    menu_label = _("Ledger files")
    menu_icon = "doc-full"
    menu_order = 205
