"""Background work for saved searches: tell owners of new matches. Each task is safe to run
twice."""

from celery import shared_task

from portal.celery import RETRY
from talent.saved_searches import base_matches, selectors, services


# Beat, daily: one task per saved search with notifications on, and one per base search
# (its new matches are the content rules' "a profile newly matches a base search").
@shared_task(**RETRY)
def saved_searches_notify() -> int:
    ids = selectors.saved_search_ids_to_check()
    for saved_search_id in ids:
        saved_search_check.delay_on_commit(saved_search_id)
    for base_search_id in base_matches.base_search_ids_to_check():
        base_search_check.delay_on_commit(base_search_id)
    return len(ids)


@shared_task(**RETRY)
def saved_search_check(saved_search_id: int) -> int:
    return services.saved_search_check(saved_search_id=saved_search_id)


@shared_task(**RETRY)
def base_search_check(base_search_id: int) -> int:
    return base_matches.base_search_check(base_search_id=base_search_id)
