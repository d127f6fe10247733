"""What starts the ledger's background work: a member import of an upload, an export of a
village sheet or a township workbook. Each creates the job and sends its task on commit;
the work itself is in portal.ledger.imports and portal.ledger.exports, run by the tasks."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.ledger import jobs, tasks
from portal.ledger.exports import EXPORT_LEVELS
from portal.ledger.files import upload_check
from portal.ledger.models import Job
from portal.registry.models import Organization, Role
from portal.registry.selectors import holds_role, organizations_managed_by


def upload_job_create(
    *, kind: str, user, upload, max_bytes: int, max_rows: int, organization=None
) -> Job:
    """The job of an uploaded ledger file, once its size, type and a workbook's declared
    size pass (apps reuse it)."""
    upload_check(upload, max_bytes=max_bytes, max_rows=max_rows)
    return jobs.job_create(
        kind=kind,
        created_by=user,
        organization=organization,
        source=upload,
        source_name=upload.name,
    )


def member_import_start(*, user, upload) -> Job:
    """Create the import job for an org admin's upload; the task is sent on commit."""
    if user is None or not holds_role(user, Role.ORG_ADMIN):
        raise ValidationError(_("Only organisation administrators import the ledger."))
    job = upload_job_create(
        kind=Job.Kind.MEMBER_IMPORT,
        user=user,
        upload=upload,
        max_bytes=settings.LEDGER_IMPORT_MAX_BYTES,
        max_rows=settings.LEDGER_IMPORT_MAX_ROWS,
    )
    tasks.member_import_run.delay_on_commit(str(job.pk))
    return job


def ledger_export_start(*, kind: str, organization: Organization, user) -> Job:
    """Create an export job for an organisation the user keeps, of the right level."""
    if kind not in EXPORT_LEVELS:
        raise ValidationError({"kind": _("Choose a village sheet or a township workbook.")})
    if not organizations_managed_by(user).filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("This is not an organisation you keep.")})
    if organization.level not in EXPORT_LEVELS[kind]:
        raise ValidationError(
            {"organization": _("A village sheet is for a village, a workbook for a township.")}
        )
    job = jobs.job_create(kind=kind, created_by=user, organization=organization)
    tasks.ledger_export_run.delay_on_commit(str(job.pk))
    return job
