"""What starts the talent ledger's background work: the import of a county org admin's
upload, the export of a desk search's hits or of a shortlist's people. Each creates the job
and sends its task on commit; the work is in talent.ledger.jobs and talent.ledger.exports."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from portal.ledger import jobs
from portal.ledger.services import upload_job_create
from portal.models import Job, Organization
from portal.registry.selectors import manages_a_county, organizations_managed_by
from talent.desk.search_query import TalentQuery, talent_query_params
from talent.ledger import tasks
from talent.models import JOB_KIND_EXPORT, JOB_KIND_IMPORT, Shortlist
from talent.selectors import can_search_talent
from talent.shortlists.selectors import shortlists_visible_to


def talent_import_start(*, user, upload) -> Job:
    """Create the import job for a county org admin's upload; the task is sent on commit."""
    if user is None or not manages_a_county(user):
        raise ValidationError(_("Only county organisation administrators import the talent pool."))
    county = organizations_managed_by(user).filter(level=Organization.Level.COUNTY).first()
    job = upload_job_create(
        kind=JOB_KIND_IMPORT,
        user=user,
        upload=upload,
        max_bytes=settings.TALENT_IMPORT_MAX_BYTES,
        max_rows=settings.TALENT_IMPORT_MAX_ROWS,
        organization=county,
    )
    tasks.talent_import_run.delay_on_commit(str(job.pk))
    return job


def talent_export_start(
    *, user, query: TalentQuery | None = None, shortlist: Shortlist | None = None
) -> Job:
    """Queue the export of a search's hits or of a shortlist's people; the task runs once
    the request's work commits."""
    if not can_search_talent(user):
        raise PermissionDenied
    if (query is None) == (shortlist is None):
        raise ValueError("Export either a search or a shortlist.")
    if shortlist is not None:
        if not shortlists_visible_to(user).filter(pk=shortlist.pk).exists():
            raise PermissionDenied
        source = {"source": "shortlist", "shortlist": shortlist.pk}
    else:
        source = {"source": "search", "params": talent_query_params(query)}
    job = jobs.job_create(kind=JOB_KIND_EXPORT, created_by=user)
    job.summary = source
    job.save(update_fields=["summary"])
    tasks.talent_export_run.delay_on_commit(str(job.pk))
    return job
