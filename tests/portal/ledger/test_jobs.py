"""Background jobs: the admin upload runs as a job (Celery eager in tests), its progress page
and JSON status are its creator's alone, and a finished job is never run again."""

import datetime
from functools import partial

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.ledger import imports, jobs, tasks
from portal.ledger.files import damaged_xlsx_message
from portal.models import Job, Member, Role
from portal.registry.factories import UserFactory

from .helpers import csv_bytes, damaged_cell, failed_on_damaged_row, ledger_row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(media_in_tmp):
    """Uploaded ledgers and results go to a temporary MEDIA_ROOT."""


def upload(client, content: bytes, name: str, capture):
    url = reverse("portal_ledger_import:index")
    with capture(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    return response


def test_admin_upload_runs_as_a_job_and_reports_counts(
    client, tree, org_admin_a, django_capture_on_commit_callbacks
):
    """An org admin uploads a workbook: a job is created, the task imports it after commit,
    and the progress page and its JSON show it done with the counts."""
    client.force_login(org_admin_a)
    rows = [ledger_row(1), ledger_row(2, origin="A2")]
    response = upload(client, xlsx_bytes(rows), "台账.xlsx", django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal_jobs:detail", args=[job.pk]))
    assert (job.kind, job.status, job.created_by) == (Job.Kind.MEMBER_IMPORT, "done", org_admin_a)
    assert job.summary["counts"] == {
        "rows": 2,
        "new": 2,
        "updated": 0,
        "unchanged": 0,
        "errors": 0,
    }
    assert Member.objects.count() == 2
    status = client.get(reverse("portal_jobs:status", args=[job.pk])).json()
    assert status["finished"] and status["status"] == "done" and status["percent"] == 100
    assert status["done"] == status["total"] == 2
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "data-job-summary" in page.content.decode()


def test_uploaded_ledger_is_not_kept_after_the_job(
    client, tree, org_admin_a, django_capture_on_commit_callbacks
):
    """The upload is personal data: once read, the file is deleted, the job record stays."""
    client.force_login(org_admin_a)
    upload(client, csv_bytes([ledger_row(1)]), "l.csv", django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert not job.source


def test_bad_upload_fails_the_job_with_row_errors(
    client, tree, org_admin_a, django_capture_on_commit_callbacks
):
    client.force_login(org_admin_a)
    rows = [ledger_row(1), ledger_row(2, origin="B1"), ledger_row(3, 手机号="1")]
    response = upload(client, csv_bytes(rows), "l.csv", django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert {(e["row"], e["field"]) for e in job.errors} == {(3, "origin"), (4, "phone")}
    assert Member.objects.count() == 0
    status = client.get(reverse("portal_jobs:status", args=[job.pk])).json()
    assert (status["status"], status["error_count"]) == ("failed", 2)
    page = client.get(response["Location"]).content.decode()
    assert "data-job-errors" in page
    assert job.errors[0]["message"] in page


def test_upload_of_another_file_type_is_refused_on_the_form(client, tree, org_admin_a):
    client.force_login(org_admin_a)
    url = reverse("portal_ledger_import:index")
    response = client.post(url, {"file": SimpleUploadedFile("l.xls", b"x")})
    assert response.status_code == 200
    assert not Job.objects.exists()


def test_upload_over_the_byte_limit_is_refused_on_the_form(client, tree, org_admin_a, settings):
    settings.LEDGER_IMPORT_MAX_BYTES = 100
    client.force_login(org_admin_a)
    url = reverse("portal_ledger_import:index")
    response = client.post(url, {"file": SimpleUploadedFile("l.csv", csv_bytes([ledger_row(1)]))})
    assert response.status_code == 200
    assert not Job.objects.exists()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EDITOR, Role.RECRUITER])
def test_only_org_admins_reach_the_upload(client, tree, user_with_role, role):
    user = user_with_role(role, tree.county)
    client.force_login(user)
    response = client.get(reverse("portal_ledger_import:index"))
    assert response.status_code in (302, 403)
    response = client.post(
        reverse("portal_ledger_import:index"),
        {"file": SimpleUploadedFile("l.csv", csv_bytes([ledger_row(1)]))},
    )
    assert response.status_code in (302, 403)
    assert not Job.objects.exists()


def test_a_job_is_its_creators_alone(client, tree, org_admin_a, user_with_role):
    """Another admin, even of the whole county, gets a 404 for the page, status and download."""
    job = jobs.job_create(kind=Job.Kind.MEMBER_IMPORT, created_by=org_admin_a)
    county_admin = user_with_role(Role.ORG_ADMIN, tree.county, "county_admin")
    client.force_login(county_admin)
    for name in ("detail", "status", "download"):
        assert client.get(reverse(f"portal_jobs:{name}", args=[job.pk])).status_code == 404
    client.force_login(org_admin_a)
    assert client.get(reverse("portal_jobs:status", args=[job.pk])).status_code == 200
    assert client.get(reverse("portal_jobs:index")).status_code == 200


def test_a_finished_job_is_not_run_again(tree, org_admin_a, media_in_tmp):
    """A second delivery of the task finds the job done and leaves everything as it was."""
    job = jobs.job_create(
        kind=Job.Kind.MEMBER_IMPORT,
        created_by=org_admin_a,
        source=SimpleUploadedFile("l.csv", csv_bytes([ledger_row(1)])),
        source_name="l.csv",
    )
    tasks.member_import_run.delay(str(job.pk))
    job.refresh_from_db()
    finished_at = job.finished_at
    Member.objects.all().delete()
    tasks.member_import_run.delay(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.finished_at) == ("done", finished_at)
    assert not Member.objects.exists()


def test_progress_is_written_to_the_row_as_the_work_goes(tree, settings):
    """JobProgress writes done and total for the page to poll, and names the phase."""
    job = jobs.job_create(kind=Job.Kind.MEMBER_IMPORT, created_by=UserFactory())
    progress = jobs.JobProgress(job)
    progress._written_at = -10.0
    progress.phase("write", total=10)
    progress._written_at = -10.0
    progress.advance(4)
    job.refresh_from_db()
    assert (job.done, job.total, job.summary["phase"]) == (4, 10, "write")
    assert jobs.job_status(job)["percent"] == 40


def test_a_job_whose_retries_are_spent_shows_failed(tree):
    job = jobs.job_create(kind=Job.Kind.MEMBER_IMPORT, created_by=UserFactory())
    jobs.job_give_up(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.errors


def test_import_and_export_pages_show_for_an_org_admin(client, tree, org_admin_a):
    """The forms render, and the export lists only the organisations the admin keeps."""
    client.force_login(org_admin_a)
    page = client.get(reverse("portal_ledger_import:index"))
    assert page.status_code == 200
    assert "身份证号" in page.content.decode()
    page = client.get(reverse("portal_ledger_export:index"))
    choices = page.context["form"].fields["organization"].queryset
    assert set(choices) == {tree.township_a, tree.village_a1, tree.village_a2}


def test_progress_page_back_link_stays_on_the_site(client, tree, org_admin_a):
    job = jobs.job_create(kind=Job.Kind.MEMBER_IMPORT, created_by=org_admin_a)
    client.force_login(org_admin_a)
    url = reverse("portal_jobs:detail", args=[job.pk])
    assert client.get(url + "?back=//evil.example/").context["back_url"] == reverse(
        "portal_jobs:index"
    )
    here = reverse("portal_ledger_import:index")
    assert client.get(f"{url}?back={here}").context["back_url"] == here


# --- No 500, no job left running ---------------------------------------------------------


def test_a_damaged_workbook_fails_its_job_with_a_message_not_a_500(
    client, tree, org_admin_a, django_capture_on_commit_callbacks
):
    """A cell referenced as ``r="A"`` passes the upload's quick check; the job, not the
    request, finds it, and ends failed naming the row."""
    client.force_login(org_admin_a)
    content = damaged_cell(xlsx_bytes([ledger_row(1)]))
    response = upload(client, content, "台账.xlsx", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert failed_on_damaged_row(Job.objects.get(), 3)
    assert Member.objects.count() == 0


def test_a_file_that_is_no_workbook_is_refused_on_the_form(client, tree, org_admin_a):
    client.force_login(org_admin_a)
    url = reverse("portal_ledger_import:index")
    response = client.post(url, {"file": SimpleUploadedFile("台账.xlsx", b"PK\x03\x04junk")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [damaged_xlsx_message()]
    assert not Job.objects.exists()


def test_an_unexpected_error_fails_the_job_instead_of_escaping(
    client, tree, org_admin_a, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(**kwargs):
        raise KeyError("bug")

    monkeypatch.setattr(imports, "members_import", broken)
    client.force_login(org_admin_a)
    response = upload(
        client, csv_bytes([ledger_row(1)]), "l.csv", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.errors == [{"message": _("The job stopped on an unexpected error.")}]


def test_a_job_past_its_soft_time_limit_fails_saying_so(tree, org_admin_a, monkeypatch):
    job = jobs.job_create(kind=Job.Kind.MEMBER_IMPORT, created_by=org_admin_a)

    def slow(**kwargs):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(imports, "member_import_job_run", slow)
    tasks.member_import_run.delay(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.errors == [{"message": jobs.timed_out_message()}]


def test_job_tasks_are_sent_with_time_limits(settings, monkeypatch):
    settings.LEDGER_JOB_TIMEOUT_SECONDS = 120
    sent = {}
    monkeypatch.setattr(
        "celery.app.task.Task.apply_async",
        lambda self, args=None, kwargs=None, **options: sent.update(options),
    )
    tasks.member_import_run.delay("x")
    assert sent["soft_time_limit"] == 120 and sent["time_limit"] > 120


def test_the_sweep_fails_jobs_whose_worker_died_once(tree, org_admin_a, settings):
    """Running past LEDGER_JOB_TIMEOUT_SECONDS (or waiting that long) → failed with a message;
    a second sweep finds nothing; a recent or finished job is left alone."""
    settings.LEDGER_JOB_TIMEOUT_SECONDS = 600
    long_ago = timezone.now() - datetime.timedelta(seconds=601)
    make = partial(jobs.job_create, kind=Job.Kind.MEMBER_IMPORT, created_by=org_admin_a)
    stuck, waiting, recent, done = make(), make(), make(), make()
    Job.objects.filter(pk=stuck.pk).update(status="running", started_at=long_ago)
    Job.objects.filter(pk=waiting.pk).update(created_at=long_ago)
    Job.objects.filter(pk=recent.pk).update(status="running", started_at=timezone.now())
    Job.objects.filter(pk=done.pk).update(status="done", started_at=long_ago)
    assert tasks.jobs_stale_fail.delay().get() == 2
    statuses = dict(Job.objects.values_list("pk", "status"))
    assert [statuses[j.pk] for j in (stuck, waiting, recent, done)] == [
        "failed",
        "failed",
        "running",
        "done",
    ]
    stuck.refresh_from_db()
    assert stuck.errors == [{"message": jobs.timed_out_message()}]
    assert "10" in jobs.timed_out_message()
    assert jobs.jobs_stale_fail() == 0


def test_a_rejected_import_shows_no_count_of_members_added(
    client, tree, org_admin_a, django_capture_on_commit_callbacks
):
    """Beside "nothing was written", the summary shows rows read and errors, not 新增党员."""
    client.force_login(org_admin_a)
    rows = [ledger_row(n) for n in range(1, 6)] + [ledger_row(6, 手机号="1")]
    response = upload(client, csv_bytes(rows), "l.csv", django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.summary["counts"]["new"] == 0
    labels = [label for label, _value in job.summary["lines"]]
    assert str(imports.MEMBER_COUNT_LABELS[0]) not in labels
    page = client.get(response["Location"]).content.decode()
    assert str(imports.MEMBER_COUNT_LABELS[0]) not in page


def test_an_import_rolled_back_on_writing_shows_nothing_written(
    client, tree, org_admin_a, django_capture_on_commit_callbacks, monkeypatch
):
    """Rows that pass the checks but that the database refuses at the write are rolled back:
    the job fails, its counts are what was committed (0, no 新增党员), and it says why."""
    write_chunk = imports._write_chunk

    def refused(chunk):
        write_chunk(chunk)  # the rows are written, then the database refuses
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(imports, "_write_chunk", refused)
    client.force_login(org_admin_a)
    rows = [ledger_row(1), ledger_row(2, origin="A2")]
    response = upload(client, csv_bytes(rows), "l.csv", django_capture_on_commit_callbacks)
    job = Job.objects.get()
    committed = Member.objects.count()
    assert committed == 0
    assert job.status == Job.Status.FAILED
    counts = job.summary["counts"]
    assert counts["new"] + counts["updated"] == committed and counts["rows"] == 2
    lines = dict(job.summary["lines"])
    assert lines[_("Rows written")] == committed
    assert str(imports.MEMBER_COUNT_LABELS[0]) not in lines
    assert job.errors[0]["message"] == imports.rolled_back_message()
    page = client.get(response["Location"]).content.decode()
    assert str(imports.MEMBER_COUNT_LABELS[0]) not in page
    assert imports.rolled_back_message() in page and "data-job-phase" not in page
