"""Background work for the talent pool. Each task calls one service and is safe to run twice."""

from celery import shared_task

from portal.celery import RETRY
from portal.ledger.tasks import JOB_RETRY

from . import services


@shared_task(**RETRY)
def profile_signals_refresh(profile_id: int) -> bool:
    return services.profile_signals_refresh(profile_id=profile_id)


# --- Saved searches: tell owners of new matches (talent/saved_searches.py) --------------
# Beat, daily: one task per saved search with notifications on.
@shared_task(**RETRY)
def saved_searches_notify() -> int:
    from . import saved_searches

    ids = saved_searches.saved_search_ids_to_check()
    for saved_search_id in ids:
        saved_search_check.delay_on_commit(saved_search_id)
    return len(ids)


@shared_task(**RETRY)
def saved_search_check(saved_search_id: int) -> int:
    from . import saved_searches

    return saved_searches.saved_search_check(saved_search_id=saved_search_id)


# --- The recruiter's desk: exporting candidates to a workbook (talent/export.py) --------
@shared_task(**JOB_RETRY)
def talent_export_run(job_id: str) -> None:
    from . import export

    export.talent_export_job_run(job_id=job_id)


# --- The talent pool's admin: the ledger upload, the nightly refresh of record signals ----
@shared_task(**JOB_RETRY)
def talent_import_run(job_id: str) -> None:
    from . import import_jobs

    import_jobs.talent_import_job_run(job_id=job_id)


SIGNALS_REFRESH_BATCH = 200


# Beat, nightly: every member's profile is recomputed from the record, one task per batch of
# primary keys; the refresh recomputes from scratch, so a second run changes nothing.
@shared_task(**RETRY)
def profile_signals_refresh_all() -> int:
    from .models import TalentProfile

    profiles = TalentProfile.objects.filter(member__isnull=False).order_by("pk")
    last, batches = 0, 0
    while batch := list(
        profiles.filter(pk__gt=last).values_list("pk", flat=True)[:SIGNALS_REFRESH_BATCH]
    ):
        profile_signals_refresh_batch.delay_on_commit(batch)
        last, batches = batch[-1], batches + 1
    return batches


@shared_task(**RETRY)
def profile_signals_refresh_batch(profile_ids: list[int]) -> int:
    """Refresh each profile's signals; return how many changed."""
    return sum(services.profile_signals_refresh(profile_id=pk) for pk in profile_ids)
