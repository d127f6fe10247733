"""Background work for the annual assessment: drafting a subtree's grades."""

from celery import shared_task

from portal.celery import RETRY

from . import services


@shared_task(**RETRY)
def assessment_drafts_compute(organization_id: int, year: int) -> int:
    return services.assessment_drafts_compute(organization_id=organization_id, year=year)
