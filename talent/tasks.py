"""Background work for the talent pool. Each task calls one service and is safe to run twice.

The wings keep their own: talent.saved_searches.tasks (new matches), talent.ledger.tasks
(the ledger upload, exports of candidates)."""

from celery import shared_task

from portal.celery import RETRY
from talent import services
from talent.models import TalentProfile

SIGNALS_REFRESH_BATCH = 200


@shared_task(**RETRY)
def profile_signals_refresh(profile_id: int) -> bool:
    return services.profile_signals_refresh(profile_id=profile_id)


# Beat, nightly: every member's profile is recomputed from the record, one task per batch of
# primary keys; the refresh recomputes from scratch, so a second run changes nothing.
@shared_task(**RETRY)
def profile_signals_refresh_all() -> int:
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
