"""Background work for the talent ledger: the admin's upload and the exports of candidates,
as jobs (talent.ledger.services sends them). A finished job is left alone, so a task
delivered twice does nothing the second time."""

from celery import shared_task

from portal.ledger.tasks import JOB_RETRY
from talent.ledger import exports, jobs


@shared_task(**JOB_RETRY)
def talent_export_run(job_id: str) -> None:
    exports.talent_export_job_run(job_id=job_id)


@shared_task(**JOB_RETRY)
def talent_import_run(job_id: str) -> None:
    jobs.talent_import_job_run(job_id=job_id)
