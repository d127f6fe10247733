"""Exporting a desk search to a workbook: a background job, every hit up to the cap, numbers
masked, only what the user may see, safe to run twice, downloaded by its creator alone."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.models import Job
from talent.ledger import exports as export
from talent.models import JOB_KIND_EXPORT

from ..desk import desk_support as desk
from ..desk import fixtures

ID_NUMBER, PHONE = desk.ID_NUMBER, desk.PHONE
# The desk's own fixtures: the same pool and the same users per role.
desk_pool, people = fixtures.desk_pool, fixtures.people


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def export_post(client, django_capture_on_commit_callbacks, **params):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("talent_desk:export"), params)
    return response


def rows_of(job: Job) -> list[tuple]:
    job.refresh_from_db()
    with job.result.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    rows = list(book.active.iter_rows(values_only=True))
    assert list(rows[0]) == export.talent_export_headers()
    return rows[1:]


def test_a_recruiter_exports_the_hits_of_a_search(
    client, desk_pool, people, django_capture_on_commit_callbacks
):
    client.force_login(people.recruiter_a)
    response = export_post(client, django_capture_on_commit_callbacks, q="养殖")
    job = Job.objects.get(kind=JOB_KIND_EXPORT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal_jobs:detail", args=[job.pk]))
    assert job.created_by == people.recruiter_a
    rows = rows_of(job)
    assert job.status == Job.Status.DONE
    assert {row[0] for row in rows} == {"张养成", "李明"}  # not 王乙 of township B
    breeder = next(row for row in rows if row[0] == "张养成")
    assert (
        desk_pool.breeder.masked_phone in breeder and desk_pool.breeder.masked_id_number in breeder
    )
    assert PHONE not in str(rows) and ID_NUMBER not in str(rows)
    assert "养鸡场" in str(breeder)
    assert job.summary["download_name"].endswith(".xlsx")
    download = client.get(reverse("portal_jobs:download", args=[job.pk]))
    assert download.status_code == 200


def test_the_export_follows_the_filters_and_stops_at_the_cap(
    client, desk_pool, people, settings, django_capture_on_commit_callbacks
):
    client.force_login(people.county_admin)
    export_post(client, django_capture_on_commit_callbacks, industry="agriculture")
    job = Job.objects.get()
    assert {row[0] for row in rows_of(job)} == {"张养成", "李明"}
    assert job.summary["truncated"] is False
    settings.TALENT_EXPORT_MAX_ROWS = 1
    export_post(client, django_capture_on_commit_callbacks, sort="-study_hours")
    capped = Job.objects.latest("created_at")
    assert [row[0] for row in rows_of(capped)] == ["张养成"]
    assert capped.summary["truncated"] is True
    assert any(
        str(settings.TALENT_EXPORT_MAX_ROWS) == str(line[1]) for line in capped.summary["lines"]
    )


def test_running_the_job_twice_changes_nothing(
    client, desk_pool, people, django_capture_on_commit_callbacks
):
    client.force_login(people.recruiter_a)
    export_post(client, django_capture_on_commit_callbacks, q="养殖")
    job = Job.objects.get()
    first = job.result.name
    export.talent_export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.result.name == first and job.status == Job.Status.DONE


def test_bad_parameters_start_no_job(client, desk_pool, people):
    client.force_login(people.recruiter_a)
    response = client.post(reverse("talent_desk:export"), {"age_max": "abc"})
    assert response.status_code == 400
    assert response.context["errors"]
    assert not Job.objects.exists()
    assert client.get(reverse("talent_desk:export")).status_code == 405


def test_others_may_not_export_nor_download(
    client, desk_pool, people, django_capture_on_commit_callbacks
):
    client.force_login(people.secretary)
    assert desk.refused(client.post(reverse("talent_desk:export"), {"q": "养殖"}))
    assert not Job.objects.exists()
    client.force_login(people.recruiter_a)
    export_post(client, django_capture_on_commit_callbacks, q="养殖")
    job = Job.objects.get()
    client.force_login(people.county_admin)
    assert client.get(reverse("portal_jobs:download", args=[job.pk])).status_code == 404


def test_a_user_who_lost_the_desk_gets_a_failed_job(
    client, desk_pool, people, django_capture_on_commit_callbacks
):
    """The search runs again in the job as its creator: a role withdrawn meanwhile fails it."""
    from portal.models import RoleAssignment

    client.force_login(people.recruiter_a)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("talent_desk:export"), {"q": "养殖"})
    RoleAssignment.objects.filter(user=people.recruiter_a).delete()
    job = Job.objects.get()
    export.talent_export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not job.result


# --- A shortlist's people --------------------------------------------------------------


@pytest.fixture
def shortlist(desk_pool, people, tree):
    from talent.shortlists.services import shortlist_create, shortlist_entries_add

    made = shortlist_create(user=people.recruiter_a, name="甲镇村两委人选")
    for profile in (desk_pool.farmer, desk_pool.breeder):  # the farmer first
        shortlist_entries_add(user=people.recruiter_a, shortlist=made, profile_ids=[profile.pk])
    return made


def test_a_shortlist_is_exported_in_its_order(
    client, shortlist, people, django_capture_on_commit_callbacks
):
    client.force_login(people.recruiter_a)
    url = reverse("talent_desk:shortlist_export", args=[shortlist.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = Job.objects.get()
    assert response.status_code == 302
    assert [row[0] for row in rows_of(job)] == ["李明", "张养成"]
    assert PHONE not in str(rows_of(job))
    assert job.summary["download_name"].startswith("甲镇村两委人选-")
    assert client.get(url).status_code == 405


def test_a_county_admin_exports_any_shortlist_others_do_not(
    client, shortlist, people, django_capture_on_commit_callbacks
):
    url = reverse("talent_desk:shortlist_export", args=[shortlist.pk])
    client.force_login(people.recruiter_b)  # another department's recruiter
    assert client.post(url).status_code == 404
    client.force_login(people.secretary)
    assert desk.refused(client.post(url))
    assert not Job.objects.exists()
    client.force_login(people.county_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(rows_of(Job.objects.get())) == 2


def test_the_desk_puts_ticked_rows_on_a_shortlist_and_compares_them(client, desk_pool, people):
    """The results' one form: "add to the shortlist" goes to the shortlist endpoint and back
    to the search; "compare" posts the same ticks to the comparison."""
    from talent.models import Shortlist

    client.force_login(people.recruiter_a)
    page = desk.search(client, q="养殖")
    html = page.content.decode()
    assert reverse("talent_shortlists:add") in html and 'name="new_name"' in html
    picks = [desk_pool.breeder.pk, desk_pool.farmer.pk]
    here = page.context["here"]
    added = client.post(
        reverse("talent_shortlists:add"), {"profile": picks, "new_name": "养殖能手", "next": here}
    )
    assert added.status_code == 302 and added["Location"] == here
    shortlist = Shortlist.objects.get(name="养殖能手")
    assert set(shortlist.entries.values_list("profile_id", flat=True)) == set(picks)
    compared = client.post(reverse("talent_desk:compare"), {"profile": picks, "next": here})
    assert compared.status_code == 200
    assert [profile.pk for profile in compared.context["profiles"]] == picks


def test_a_county_admin_gets_no_shortlist_box(client, desk_pool, people):
    client.force_login(people.county_admin)
    assert 'name="new_name"' not in desk.search(client).content.decode()


def test_the_shortlist_page_offers_its_export(client, shortlist, people):
    client.force_login(people.recruiter_a)
    page = client.get(reverse("talent_shortlists:detail", args=[shortlist.pk]))
    export = reverse("talent_desk:shortlist_export", args=[shortlist.pk])
    assert f'action="{export}"' in page.content.decode()


def test_a_finished_export_s_page_offers_the_file_and_no_step_under_way(
    client, desk_pool, people, django_capture_on_commit_callbacks
):
    """Once the file is offered, the page and its JSON name no phase (no 正在写入) and the
    polling script is not loaded: the job is done, as the row says."""
    client.force_login(people.recruiter_a)
    response = export_post(client, django_capture_on_commit_callbacks, q="养殖")
    job = Job.objects.get(kind=JOB_KIND_EXPORT)
    assert (job.status, bool(job.result)) == (Job.Status.DONE, True)
    assert "phase" not in job.summary
    status = client.get(reverse("portal_jobs:status", args=[job.pk])).json()
    assert (status["finished"], status["phase"], status["phase_label"]) == (True, "", "")
    page = client.get(response["Location"]).content.decode()
    assert "data-job-download" in page
    assert "data-job-phase" not in page and "job_progress.js" not in page
    assert 'data-finished="1"' in page
