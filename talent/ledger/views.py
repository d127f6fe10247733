"""The talent ledger's upload in the admin (county org admins): the file becomes a background
job, and the browser goes to the job's progress page."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from portal.registry.forms import validation_errors_add
from portal.registry.selectors import manages_a_county
from talent.ledger.forms import TalentImportForm
from talent.ledger.imports import TALENT_COLUMNS
from talent.ledger.services import talent_import_start

REQUIRED_COLUMNS = ("name", "id_number")


def talent_import_view(request):
    if not manages_a_county(request.user):
        raise PermissionDenied
    posted = request.method == "POST"
    form = TalentImportForm(request.POST, request.FILES) if posted else TalentImportForm()
    if posted and form.is_valid():
        try:
            job = talent_import_start(user=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            back = urlencode({"back": reverse("talent_profile:index")})
            return redirect(f"{reverse('portal_jobs:detail', args=[job.pk])}?{back}")
    columns = [(aliases[0], name in REQUIRED_COLUMNS) for name, aliases in TALENT_COLUMNS.items()]
    context = {
        "form": form,
        "columns": columns,
        "max_rows": settings.TALENT_IMPORT_MAX_ROWS,
        "max_mb": settings.TALENT_IMPORT_MAX_BYTES // (1024 * 1024),
    }
    return TemplateResponse(request, "talent/admin/import.html", context)
