"""What the desk's tests share: the demo password and numbers, indexing the pool, reading the
desk's results, and the admin's refusal."""

import datetime

from django.urls import reverse

from search.registry import document_spec
from search.services import index_rebuild

PHONE = "13900000177"
ID_NUMBER = "110105199003070025"
PASSWORD = "Guiyan@2026"


def index_talent() -> None:
    index_rebuild(spec=document_spec("talent"))


def _born(years_ago: int) -> datetime.date:
    today = datetime.date.today()
    return today.replace(year=today.year - years_ago, day=1)


def search(client, **params):
    return client.get(reverse("talent_desk:index"), params)


def listed(response) -> set[int]:
    assert response.status_code == 200, response.content.decode()[:2000]
    return {hit.profile.pk for hit in response.context["result"].hits}


def refused(response) -> bool:
    """The admin's answer to PermissionDenied: back to the dashboard with a message (a 403
    for a script)."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
