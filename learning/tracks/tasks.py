"""Background work for tracks: this month's packs, and the reading tracks of a received red
package. Each task calls one service and is safe to run twice."""

from celery import shared_task

from portal.celery import RETRY

from . import services


# Beat, 00:10 on the 1st: this month's packs from every section's template.
@shared_task(**RETRY)
def monthly_packs_create(year: int | None = None, month: int | None = None) -> int:
    return services.monthly_packs_create(year=year, month=month)


@shared_task(**RETRY)
def red_package_tracks_assign(member_id: int, package_id: int) -> int:
    return services.red_package_tracks_assign(member_id=member_id, package_id=package_id)
