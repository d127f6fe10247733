"""A desk search by gender, city, province and training, saved and run again (opened from
the list, checked for new matches) and exported: each holds the filtered set."""

import io

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from portal.models import Job, Notification
from talent.models import JOB_KIND_EXPORT, SavedSearch
from talent.saved_searches.services import saved_search_check
from talent.services import profile_create

from ..desk import fixtures
from ..desk.wide_pool import wide_pool

pytestmark = pytest.mark.django_db
people = fixtures.people
__all__ = ["people", "wide_pool"]  # fixtures pytest finds by name

FILTERS = {"province": ["44", "52"], "training": ["后备干部", "电商"], "city": ""}


def names(response) -> set[str]:
    assert response.status_code == 200, response.content.decode()[:2000]
    return {hit.profile.display_name for hit in response.context["result"].hits}


def test_a_search_by_the_new_filters_is_saved_listed_and_opened_again(client, wide_pool, people):
    client.force_login(people.county_recruiter)
    desk = reverse("talent_desk:index")
    before = names(client.get(desk, FILTERS))
    assert before == {"张丽", "陈芳", "甲一党员"}
    response = client.post(
        reverse("talent_saved_searches:save"), {**FILTERS, "gender": "", "name": "省内培训过的"}
    )
    saved = SavedSearch.objects.get()
    assert saved.params == {"province": ["44", "52"], "training": ["后备干部", "电商"]}
    assert response.status_code == 302
    assert names(client.get(response["Location"])) == before
    listing = client.get(reverse("talent_saved_searches:index"))
    (row,) = listing.context["rows"]
    summary = dict(row["summary"])
    assert summary[str(_("current province"))] == "广东省、贵州省"
    assert summary[str(_("training"))] == "后备干部、电商"
    assert names(client.get(row["url"])) == before


def test_a_saved_search_by_gender_and_city_tells_of_a_new_match(
    client, wide_pool, people, django_capture_on_commit_callbacks
):
    client.force_login(people.county_recruiter)
    client.post(
        reverse("talent_saved_searches:save"),
        {"gender": "male", "city": "东莞", "name": "在东莞的男性", "notify": "1"},
    )
    saved = SavedSearch.objects.get()
    assert saved.params == {"city": ["东莞市"], "gender": ["male"]}
    assert saved.seen_keys == [wide_pool.by_name["王强"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = profile_create(name="吴刚", gender="male", current_city="广东省东莞市长安镇")
        profile_create(name="吴丽", gender="female", current_city="东莞")
    assert saved_search_check(saved_search_id=saved.pk) == 1
    saved.refresh_from_db()
    assert set(saved.seen_keys) == {wide_pool.by_name["王强"].pk, newcomer.pk}
    assert Notification.objects.filter(recipient=people.county_recruiter).count() == 1


def rows_of(job: Job) -> list[tuple]:
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.summary
    with job.result.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    return list(book.active.iter_rows(values_only=True))[1:]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_export_holds_the_filtered_set(
    client, wide_pool, people, django_capture_on_commit_callbacks
):
    client.force_login(people.recruiter_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("talent_desk:export"), {**FILTERS, "gender": "female"})
    job = Job.objects.get(kind=JOB_KIND_EXPORT)
    exported = rows_of(job)
    assert {row[0] for row in exported} == {"张丽"} | (
        {"甲一党员"} if wide_pool.by_name["甲一党员"].person_gender == "female" else set()
    )
    assert all(row[1] == _("Female") for row in exported)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("talent_desk:export"), {"province": "33"})
    (row,) = rows_of(Job.objects.latest("created_at"))
    assert (row[0], row[6]) == ("赵军", "杭州")  # the current city as written
