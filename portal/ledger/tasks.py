"""Background work for ledger files: member imports and ledger exports, as jobs. The tasks
run the work (portal.ledger.imports, portal.ledger.exports); portal.ledger.services sends
them."""

import logging

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.conf import settings

from portal.celery import RETRY
from portal.ledger import exports, imports, jobs

logger = logging.getLogger(__name__)
# Between the soft limit (the job is failed, saying why) and the hard one (the worker's
# process is killed; the sweep fails the job).
HARD_LIMIT_GRACE_SECONDS = 60


class JobTask(DjangoTask):
    """A job's task: it ends the job, whatever happens. Time limits from
    LEDGER_JOB_TIMEOUT_SECONDS; an unexpected error fails the job (and is logged) instead of
    escaping, so neither the worker's retries nor an eager run in a request can leave it
    running; database and network hiccups still retry, and once those are spent the job is
    failed too."""

    def apply_async(self, args=None, kwargs=None, **options):
        options.setdefault("soft_time_limit", settings.LEDGER_JOB_TIMEOUT_SECONDS)
        options.setdefault(
            "time_limit", settings.LEDGER_JOB_TIMEOUT_SECONDS + HARD_LIMIT_GRACE_SECONDS
        )
        return super().apply_async(args, kwargs, **options)

    def __call__(self, *args, **kwargs):
        job_id = args[0] if args else kwargs["job_id"]
        try:
            return super().__call__(*args, **kwargs)
        except (Retry, *RETRY["autoretry_for"]):
            raise
        except SoftTimeLimitExceeded:
            jobs.job_time_out(job_id=job_id)
        except Exception:  # noqa: BLE001 — any other failure ends the job, as failed
            logger.exception("Background job %s failed", job_id)
            jobs.job_give_up(job_id=job_id)
        return None

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        jobs.job_give_up(job_id=args[0] if args else kwargs["job_id"])


JOB_RETRY = {**RETRY, "base": JobTask}


@shared_task(**RETRY)
def jobs_stale_fail() -> int:
    return jobs.jobs_stale_fail()


@shared_task(**JOB_RETRY)
def member_import_run(job_id: str) -> None:
    imports.member_import_job_run(job_id=job_id)


@shared_task(**JOB_RETRY)
def ledger_export_run(job_id: str) -> None:
    exports.ledger_export_job_run(job_id=job_id)
