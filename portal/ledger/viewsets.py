"""The ledger's files in the admin: upload a ledger to import, order a village sheet or a
township workbook. Both start a background job and go to its progress page. Org admins only,
and only for the organisations they keep.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from portal.ledger.exports import EXPORT_LEVELS, ledger_export_start
from portal.ledger.files import COLUMN_ALIASES, REQUIRED_FIELDS
from portal.ledger.imports import member_import_start
from portal.ledger.models import Job
from portal.ledger.views import JobViewSet
from portal.registry.forms import validation_errors_add
from portal.registry.selectors import organizations_managed_by


def _keeps_organisations(user) -> bool:
    return user.is_superuser or organizations_managed_by(user).exists()


class OrgAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return _keeps_organisations(request.user)


def _require_org_admin(request) -> None:
    if not _keeps_organisations(request.user):
        raise PermissionDenied


def _progress_url(job: Job, back: str) -> str:
    return f"{reverse('portal_jobs:detail', args=[job.pk])}?back={back}"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("ledger file"),
        help_text=_("An .xlsx workbook (first sheet), a .csv in UTF-8 or GBK, or .json."),
    )


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


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("export"),
        choices=[
            (Job.Kind.VILLAGE_EXPORT, _("One sheet for a village (一村一表)")),
            (Job.Kind.TOWNSHIP_EXPORT, _("One workbook for a township (一乡一册)")),
        ],
    )
    organization = forms.ModelChoiceField(label=_("organisation"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        levels = {level for levels in EXPORT_LEVELS.values() for level in levels}
        kept = organizations_managed_by(user).filter(level__in=levels)
        self.fields["organization"].queryset = kept
        self.fields["organization"].label_from_instance = lambda o: o.indented_name


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
    menu_item_class = OrgAdminMenuItem

    @property
    def menu_url(self):
        return reverse(f"{self.name}:index")


class LedgerImportViewSet(OrgAdminViewSet):
    icon = "upload"
    menu_label = _("Import the ledger")
    url_prefix = "ledger/import"

    def get_urlpatterns(self):
        return [path("", ledger_import, name="index")]


class LedgerExportViewSet(OrgAdminViewSet):
    icon = "download"
    menu_label = _("Export the ledger")
    url_prefix = "ledger/export"

    def get_urlpatterns(self):
        return [path("", ledger_export, name="index")]


class LedgerFilesViewSetGroup(ViewSetGroup):
    items = (
        LedgerImportViewSet("portal_ledger_import"),
        LedgerExportViewSet("portal_ledger_export"),
        JobViewSet("portal_jobs"),
    )
    menu_label = _("Ledger files")
    menu_icon = "doc-full"
    menu_order = 205
