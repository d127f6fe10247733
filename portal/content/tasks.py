"""Background work for publishing: notifications of its outcomes and scheduled publishing."""

from celery import shared_task

from portal.celery import RETRY
from portal.content import rules, services


@shared_task(**RETRY)
def section_publication_notify(page_id: int, revision_id: int | None = None) -> None:
    rules.section_publication_notify(page_id=page_id, revision_id=revision_id)


@shared_task(**RETRY)
def task_rejection_notify(task_state_id: int) -> None:
    rules.task_rejection_notify(task_state_id=task_state_id)


@shared_task(**RETRY)
def workflow_approval_notify(workflow_state_id: int) -> None:
    rules.workflow_approval_notify(workflow_state_id=workflow_state_id)


# Beat runs it every minute; a run that overlaps the next only finds less to do.
@shared_task(**RETRY)
def pages_publish_scheduled() -> None:
    services.pages_publish_scheduled()
