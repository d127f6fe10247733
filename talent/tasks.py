"""Background work for the talent pool. Each task calls one service and is safe to run twice."""

from celery import shared_task

from portal.tasks import RETRY

from . import services


@shared_task(**RETRY)
def profile_signals_refresh(profile_id: int) -> bool:
    return services.profile_signals_refresh(profile_id=profile_id)
