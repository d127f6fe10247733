"""Reading saved searches (保存的检索): one's own, their links to the desk, and those the
daily check looks at."""

from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from talent.models import SavedSearch

# The recruiter desk's search page (talent.desk.viewsets.TalentDeskViewSet, registered as
# "talent_desk"); saved searches link there with their parameters.
DESK_SEARCH_URL_NAME = "talent_desk:index"


def saved_searches_of(user) -> QuerySet[SavedSearch]:
    if not user.is_authenticated:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(owner=user).order_by("name")


def desk_search_url(params: dict) -> str:
    query = urlencode(params, doseq=True)
    return reverse(DESK_SEARCH_URL_NAME) + (f"?{query}" if query else "")


def saved_search_ids_to_check() -> list[int]:
    return list(
        SavedSearch.objects.filter(notify=True, owner__is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
