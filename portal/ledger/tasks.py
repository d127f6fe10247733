"""Background work for ledger files: member imports and ledger exports, as jobs. The tasks
run the work (portal.ledger.imports, portal.ledger.exports); portal.ledger.services sends
them."""

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from portal.celery import RETRY
from portal.ledger import exports, imports, jobs


class JobTask(DjangoTask):
    """Marks the job failed once the retries are spent, so its page stops saying running."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        jobs.job_give_up(job_id=args[0] if args else kwargs["job_id"])


JOB_RETRY = {**RETRY, "base": JobTask}


@shared_task(**JOB_RETRY)
def member_import_run(job_id: str) -> None:
    imports.member_import_job_run(job_id=job_id)


@shared_task(**JOB_RETRY)
def ledger_export_run(job_id: str) -> None:
    exports.ledger_export_job_run(job_id=job_id)
