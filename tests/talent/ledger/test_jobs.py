"""The talent ledger uploaded in the admin: a background job (Celery eager in tests, sent on
commit) that imports every row or none, shows its progress, counts or row errors, and does
nothing the second time. County org admins only."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import Workbook

from portal.ledger import jobs
from portal.ledger.files import damaged_xlsx_message
from portal.models import Job, Role
from talent.ledger import jobs as import_jobs
from talent.ledger import tasks
from talent.models import JOB_KIND_IMPORT, TalentProfile

from ...portal.ledger.helpers import damaged_cell, failed_on_damaged_row

HEADER = ["姓名", "身份证号", "手机号", "户籍乡镇", "户籍村", "学历", "技能", "返乡意愿"]
WANG = [
    "王建国",
    "11010519491231002X",
    "13900000011",
    "甲镇党委",
    "甲一村党支部",
    "高中/中专",
    "驾驶、电工",
    "愿意",
]
LI = ["李秀英", "110105198001010024", "13900000012", "乙乡党委", "B1", "本科", "直播", "考虑"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded ledgers go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def county_admin(tree, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.county, "county_admin")


def csv_bytes(rows) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([HEADER, *rows])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("人才库")
    sheet.append(["某县人才库台账"])  # a title row above the header
    for row in [HEADER, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, name: str, capture):
    with capture(execute=True):
        return client.post(
            reverse("talent_profile:import"), {"file": SimpleUploadedFile(name, content)}
        )


def test_a_county_admin_uploads_a_workbook_and_the_job_imports_it(
    client, tree, county_admin, django_capture_on_commit_callbacks
):
    """The upload becomes a talent import job; the task runs after commit, the profiles are
    there, and the progress page and its JSON show the job done with the counts."""
    client.force_login(county_admin)
    response = upload(
        client, xlsx_bytes([WANG, LI]), "人才库.xlsx", django_capture_on_commit_callbacks
    )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal_jobs:detail", args=[job.pk]))
    assert (job.kind, job.status, job.created_by) == (JOB_KIND_IMPORT, "done", county_admin)
    assert job.organization == tree.county
    assert job.summary["counts"] == {"rows": 2, "new": 2, "updated": 0, "unchanged": 0, "errors": 0}
    assert not job.source  # the uploaded personal data is not kept
    wang = TalentProfile.objects.get(id_number="11010519491231002X")
    assert (wang.hometown_village, sorted(wang.skills.names())) == (
        tree.village_a1,
        ["电工", "驾驶"],
    )
    status = client.get(reverse("portal_jobs:status", args=[job.pk])).json()
    assert (status["status"], status["done"], status["total"], status["percent"]) == (
        "done",
        2,
        2,
        100,
    )
    page = client.get(response["Location"]).content.decode()
    assert gettext("New profiles") in page and "data-job-summary" in page
    assert f'href="{reverse("talent_profile:index")}"' in page  # back to the profiles


def test_a_bad_file_fails_with_the_errors_by_row_and_field_and_writes_nothing(
    client, tree, county_admin, django_capture_on_commit_callbacks
):
    """A wrong phone on row 3 and an unknown village on row 4: the job fails listing both in
    Chinese with their rows and columns, and the good row 2 is not written either."""
    client.force_login(county_admin)
    bad_phone = [*LI[:2], "12345", *LI[3:]]
    bad_village = ["赵六", "110105198001010040", "", "甲镇党委", "不存在村", "", "", ""]
    response = upload(
        client,
        csv_bytes([WANG, bad_phone, bad_village]),
        "人才库.csv",
        django_capture_on_commit_callbacks,
    )
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert {(e["row"], e["field"]) for e in job.errors} == {(3, "phone"), (4, "hometown_village")}
    assert {e["label"] for e in job.errors} == {"手机号", "户籍村（社区）"}
    assert not TalentProfile.objects.exists()
    assert job.summary["counts"]["errors"] == 2
    page = client.get(response["Location"]).content.decode()
    assert "data-job-errors" in page
    for error in job.errors:
        assert error["message"] in page
    assert "12345" not in page  # the errors do not echo the numbers


def test_reuploading_the_same_file_changes_nothing(
    client, tree, county_admin, django_capture_on_commit_callbacks
):
    client.force_login(county_admin)
    content = json.dumps([dict(zip(HEADER, WANG, strict=True)), dict(zip(HEADER, LI, strict=True))])
    upload(client, content.encode(), "人才库.json", django_capture_on_commit_callbacks)
    stamps = list(TalentProfile.objects.order_by("pk").values_list("pk", "updated_at"))
    upload(client, content.encode(), "人才库.json", django_capture_on_commit_callbacks)
    second = Job.objects.order_by("-created_at").first()
    assert second.status == "done"
    assert second.summary["counts"] == {
        "rows": 2,
        "new": 0,
        "updated": 0,
        "unchanged": 2,
        "errors": 0,
    }
    assert list(TalentProfile.objects.order_by("pk").values_list("pk", "updated_at")) == stamps


def test_a_file_over_the_row_limit_fails_whole(
    client, tree, county_admin, settings, django_capture_on_commit_callbacks
):
    """The limit counts people, as the member import does (the header is not one)."""
    settings.TALENT_IMPORT_MAX_ROWS = 1
    client.force_login(county_admin)
    upload(client, csv_bytes([WANG, LI]), "人才库.csv", django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.errors[0]["message"] == "文件超过 1 行，请拆分为多个较小的文件。"
    assert job.errors[0]["text"] == job.errors[0]["message"]  # no "第 None 行"
    assert not TalentProfile.objects.exists()


def test_the_form_refuses_another_file_type_and_a_file_over_the_byte_limit(
    client, tree, county_admin, settings
):
    client.force_login(county_admin)
    url = reverse("talent_profile:import")
    response = client.post(url, {"file": SimpleUploadedFile("人才库.xls", b"x")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "请上传 .xlsx、.csv 或 .json 格式的台账文件。"
    ]
    settings.TALENT_IMPORT_MAX_BYTES = 100
    response = client.post(url, {"file": SimpleUploadedFile("人才库.csv", csv_bytes([WANG, LI]))})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    response = client.post(url, {})
    assert response.context["form"].errors["file"] == [
        gettext("Choose the talent ledger file to upload.")
    ]
    assert not Job.objects.exists()


def test_the_upload_page_and_the_list_button_show_for_a_county_admin(client, tree, county_admin):
    client.force_login(county_admin)
    page = client.get(reverse("talent_profile:import"))
    assert page.status_code == 200
    assert "身份证号" in page.content.decode()
    listing = client.get(reverse("talent_profile:index")).content.decode()
    assert reverse("talent_profile:import") in listing


@pytest.mark.parametrize(
    ("role", "where"),
    [
        (Role.RECRUITER, "county"),
        (Role.ORG_ADMIN, "township_a"),
        (Role.MEMBER, "village_a1"),
        (Role.EDITOR, "county"),
    ],
)
def test_only_county_org_admins_upload(client, tree, user_with_role, role, where):
    """A recruiter, a township's org admin, a member or an editor reach neither the form nor
    the button, and a post starts no job."""
    client.force_login(user_with_role(role, getattr(tree, where)))
    url = reverse("talent_profile:import")
    assert client.get(url).status_code in (302, 403)
    response = client.post(url, {"file": SimpleUploadedFile("人才库.csv", csv_bytes([WANG]))})
    assert response.status_code in (302, 403)
    assert not Job.objects.exists()
    listing = client.get(reverse("talent_profile:index"))
    assert url not in listing.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, tree):
    response = client.post(
        reverse("talent_profile:import"),
        {"file": SimpleUploadedFile("人才库.csv", csv_bytes([WANG]))},
    )
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not Job.objects.exists()


def test_a_finished_job_is_not_run_again(tree, county_admin):
    """A second delivery of the task finds the job done and leaves everything as it was."""
    job = jobs.job_create(
        kind=JOB_KIND_IMPORT,
        created_by=county_admin,
        source=SimpleUploadedFile("人才库.csv", csv_bytes([WANG])),
        source_name="人才库.csv",
    )
    tasks.talent_import_run.delay(str(job.pk))
    job.refresh_from_db()
    finished_at = job.finished_at
    TalentProfile.objects.all().delete()
    tasks.talent_import_run.delay(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.finished_at) == ("done", finished_at)
    assert not TalentProfile.objects.exists()


def test_the_task_retries_with_backoff_and_gives_up_visibly(tree, county_admin):
    """Database hiccups are retried with backoff; once the retries are spent the job shows
    failed rather than running for ever."""
    task = tasks.talent_import_run
    assert task.retry_backoff and task.max_retries
    job = jobs.job_create(kind=JOB_KIND_IMPORT, created_by=county_admin)
    task.on_failure(RuntimeError(), "id", (str(job.pk),), {}, None)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_while_the_import_transaction_is_open(tree, county_admin):
    """The rows are saved in one transaction; the count the page polls goes through a
    connection of its own, so another connection sees it before the commit."""
    job = jobs.job_create(kind=JOB_KIND_IMPORT, created_by=county_admin)
    progress = import_jobs.DetachedJobProgress(job)
    progress.phase("validate", total=10)
    observer = connections.create_connection("default")
    try:
        with transaction.atomic():
            TalentProfile.objects.create(name="未提交")
            progress._written_at = -10.0
            progress.advance(4)
            with observer.cursor() as cursor:
                cursor.execute(f"SELECT done FROM {Job._meta.db_table} WHERE id = %s", [job.pk])  # noqa: S608
                assert cursor.fetchone() == (4,)
                cursor.execute(f"SELECT count(*) FROM {TalentProfile._meta.db_table}")  # noqa: S608
                assert cursor.fetchone() == (0,)
    finally:
        progress.close()
        observer.close()


def test_a_damaged_workbook_fails_the_job_with_a_real_row_number(
    client, tree, county_admin, django_capture_on_commit_callbacks
):
    """A cell referenced as ``r="A"``: the job ends failed (no 500, not left running), and
    its error names the row, never "第 None 行"."""
    client.force_login(county_admin)
    content = damaged_cell(xlsx_bytes([WANG]))
    response = upload(client, content, "人才库.xlsx", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert failed_on_damaged_row(Job.objects.get(), 3)
    assert not TalentProfile.objects.exists()


def test_a_file_that_is_no_workbook_is_refused_on_the_form(client, tree, county_admin):
    client.force_login(county_admin)
    response = client.post(
        reverse("talent_profile:import"), {"file": SimpleUploadedFile("人才库.xlsx", b"junk")}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [damaged_xlsx_message()]
    assert not Job.objects.exists()
