"""Background work for learning. Each task calls one service and is safe to run twice."""

from celery import shared_task

from portal.celery import RETRY

from . import annual_assessment, certificates, monthly, pace, periods


@shared_task(**RETRY)
def certificate_issue(completion_id: int) -> None:
    certificates.certificate_issue(completion_id=completion_id)


# Beat, 00:30 on the 1st: the month that just ended, before it is tallied.
@shared_task(**RETRY)
def deductions_apply(year: int | None = None, month: int | None = None) -> int:
    return periods.deductions_apply(year=year, month=month)


# Beat, 01:00 on the 1st: the month that just ended.
@shared_task(**RETRY)
def monthly_tally(year: int | None = None, month: int | None = None) -> int:
    return periods.monthly_tally(year=year, month=month)


# Beat, 00:10 on the 1st: this month's packs from every section's template.
@shared_task(**RETRY)
def monthly_packs_create(year: int | None = None, month: int | None = None) -> int:
    return monthly.monthly_packs_create(year=year, month=month)


# Beat, Monday 09:00.
@shared_task(**RETRY)
def pace_reminders_send() -> int:
    return pace.pace_reminders_send()


@shared_task(**RETRY)
def assessment_drafts_compute(organization_id: int, year: int) -> int:
    return annual_assessment.assessment_drafts_compute(organization_id=organization_id, year=year)


@shared_task(**RETRY)
def publication_notify(publication_id: int) -> None:
    periods.publication_notify(publication_id=publication_id)


# --- Red packages: the reading tracks of a received package ---------------------------
@shared_task(**RETRY)
def red_package_tracks_assign(member_id: int, package_id: int) -> int:
    from . import assignments

    return assignments.red_package_tracks_assign(member_id=member_id, package_id=package_id)
