"""Background work for the registry. Each task calls one service and is safe to run twice."""

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import OperationalError

from . import notifications, publishing, services, submissions, video_services

RETRY = {
    "autoretry_for": (ConnectionError, TimeoutError, OperationalError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(**RETRY)
def activation_codes_purge() -> int:
    return services.activation_codes_purge()


@shared_task(**RETRY)
def section_publication_notify(page_id: int, revision_id: int | None = None) -> None:
    notifications.section_publication_notify(page_id=page_id, revision_id=revision_id)


@shared_task(**RETRY)
def task_rejection_notify(task_state_id: int) -> None:
    notifications.task_rejection_notify(task_state_id=task_state_id)


@shared_task(**RETRY)
def workflow_approval_notify(workflow_state_id: int) -> None:
    notifications.workflow_approval_notify(workflow_state_id=workflow_state_id)


# Beat runs it every minute; a run that overlaps the next only finds less to do.
@shared_task(**RETRY)
def pages_publish_scheduled() -> None:
    publishing.pages_publish_scheduled()


class VideoTask(DjangoTask):
    """Marks the video failed once the retries are spent, so it does not show as processing
    for ever; a bad file never gets here (processing marks it failed itself)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        video_services.video_give_up(video_id=args[0] if args else kwargs["video_id"])


VIDEO_RETRY = {
    "base": VideoTask,
    # Storage and database hiccups; FFmpeg's verdict on a file is never retried.
    "autoretry_for": (OSError, OperationalError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(**VIDEO_RETRY)
def video_process(video_id: int) -> None:
    video_services.video_process(video_id=video_id)


@shared_task(**VIDEO_RETRY)
def lecture_submission_process(video_id: int) -> None:
    submissions.lecture_submission_process(video_id=video_id)


# --- Red packages ---------------------------------------------------------------------
@shared_task(**RETRY)
def red_package_dispatch_notify(request_id: int) -> None:
    from . import parcels

    parcels.package_dispatch_notify(request_id=request_id)


# --- Whereabouts and lost contact (失联) -------------------------------------------------
# Beat, daily: flag members out of contact; a second run flags nobody twice.
@shared_task(**RETRY)
def lost_contacts_flag() -> int:
    from . import whereabouts

    return whereabouts.lost_contacts_flag()


# --- Care: transfers of the membership relation (portal/care.py) ------------------------


@shared_task(**RETRY)
def care_transfer_notify(transfer_id: int, state: str) -> None:
    from . import care  # care enqueues this task, so it imports this module

    care.transfer_notify(transfer_id=transfer_id, state=state)


# --- end of care ------------------------------------------------------------------------


# --- Ledger files: member import and ledger exports (portal/member_import.py, member_export.py)


class JobTask(DjangoTask):
    """Marks the job failed once the retries are spent, so its page stops saying running."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from . import jobs

        jobs.job_give_up(job_id=args[0] if args else kwargs["job_id"])


JOB_RETRY = {**RETRY, "base": JobTask}


@shared_task(**JOB_RETRY)
def member_import_run(job_id: str) -> None:
    from . import member_import

    member_import.member_import_job_run(job_id=job_id)


@shared_task(**JOB_RETRY)
def ledger_export_run(job_id: str) -> None:
    from . import member_export

    member_export.ledger_export_job_run(job_id=job_id)
