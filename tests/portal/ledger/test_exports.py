"""Ledger exports: one sheet per village (一村一表), one workbook per township with a sheet per
village (一乡一册); masked numbers, formulas neutralised, sheet names Excel accepts, made in
the background for the organisations one keeps, downloaded by the job's creator alone."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from portal.ledger.exports import ledger_headers, ledger_workbook_write
from portal.ledger.files import sheet_title
from portal.ledger.services import ledger_export_start
from portal.models import Job, Role
from portal.registry.factories import MemberFactory, OrganizationFactory
from portal.registry.identity import mask_id_number, mask_phone

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(media_in_tmp):
    """Result workbooks go to a temporary MEDIA_ROOT."""


def workbook_of(organization, kind):
    buffer = io.BytesIO()
    ledger_workbook_write(organization=organization, kind=kind, target=buffer)
    buffer.seek(0)
    return load_workbook(buffer)


def data_rows(sheet) -> list[tuple]:
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[1]) == ledger_headers()
    return rows[2:]


def test_township_workbook_has_one_sheet_per_village(tree, members):
    """一乡一册: township A's book has a sheet for each of its villages, each with its own
    members; township B's member is in none of them."""
    book = workbook_of(tree.township_a, Job.Kind.TOWNSHIP_EXPORT)
    assert book.sheetnames == ["甲一村党支部", "甲二村党支部"]
    names = {title: [row[0] for row in data_rows(book[title])] for title in book.sheetnames}
    assert names == {"甲一村党支部": ["甲一党员"], "甲二村党支部": ["甲二党员"]}


def test_village_sheet_masks_numbers_and_writes_real_dates(tree, members):
    book = workbook_of(tree.village_a1, Job.Kind.VILLAGE_EXPORT)
    assert book.sheetnames == ["甲一村党支部"]
    (row,) = data_rows(book.active)
    member = members.a1
    headers = ledger_headers()
    values = dict(zip(headers, row, strict=True))
    id_label, phone_label = headers[3], headers[4]
    assert values[id_label] == mask_id_number(member.id_number)
    assert values[phone_label] == mask_phone(member.phone)
    assert member.id_number not in str(row) and member.phone not in str(row)
    assert values[headers[5]].date() == member.joined_party_on


@pytest.mark.parametrize("dangerous", ["=1+1", "+86 10", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_written_as_text(tree, dangerous):
    """A cell starting with =, +, -, @, tab or CR is quote-prefixed text, never a formula."""
    MemberFactory(origin=tree.village_a1, employer=dangerous, address='=HYPERLINK("x")')
    buffer = io.BytesIO()
    ledger_workbook_write(organization=tree.village_a1, kind=Job.Kind.VILLAGE_EXPORT, target=buffer)
    buffer.seek(0)
    sheet = load_workbook(buffer).active
    employer, address = sheet.cell(row=3, column=12), sheet.cell(row=3, column=13)
    # XML reads a stored CR back as LF; what matters is the quote in front and the type.
    assert (employer.data_type, employer.value) == ("s", ("'" + dangerous).replace("\r", "\n"))
    assert (address.data_type, address.value) == ("s", '\'=HYPERLINK("x")')


def test_sheet_names_follow_excels_rules(tree):
    """Names longer than 31 characters are cut, []:*?/\\ replaced, duplicates numbered."""
    long_name = "甲镇" + "很长的名字" * 8 + "村党支部"
    OrganizationFactory(parent=tree.township_b, name=long_name, code="B2")
    OrganizationFactory(parent=tree.township_b, name=long_name, code="B3")
    OrganizationFactory(parent=tree.township_b, name="乙[三]村/组:*?", code="B4")
    book = workbook_of(tree.township_b, Job.Kind.TOWNSHIP_EXPORT)
    assert len(book.sheetnames) == 4
    assert all(len(title) <= 31 for title in book.sheetnames)
    assert book.sheetnames[1] == long_name[:31]
    assert book.sheetnames[2].endswith("(2)")
    assert book.sheetnames[3] == "乙_三_村_组___"


def test_sheet_title_rules():
    taken = set()
    assert sheet_title("'引号'", taken) == "引号"
    assert sheet_title("引号", taken) == "引号(2)"
    assert sheet_title("", taken) == "Sheet"


# --- As a job, scoped, downloaded by its creator ------------------------------------------


def test_export_job_makes_a_download_for_its_creator_only(
    client, tree, members, org_admin_a, user_with_role, django_capture_on_commit_callbacks
):
    client.force_login(org_admin_a)
    url = reverse("portal_ledger_export:index")
    data = {"kind": Job.Kind.TOWNSHIP_EXPORT, "organization": tree.township_a.pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    job = Job.objects.get()
    assert (job.status, job.organization) == ("done", tree.township_a)
    download = client.get(reverse("portal_jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert "filename*=utf-8''" in download["Content-Disposition"]  # the township's name
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.sheetnames == ["甲一村党支部", "甲二村党支部"]
    other = user_with_role(Role.ORG_ADMIN, tree.township_a, "other_admin")
    client.force_login(other)
    assert client.get(reverse("portal_jobs:download", args=[job.pk])).status_code == 404


def test_admin_exports_only_organisations_they_keep(client, tree, org_admin_a):
    with pytest.raises(ValidationError):
        ledger_export_start(
            kind=Job.Kind.TOWNSHIP_EXPORT, organization=tree.township_b, user=org_admin_a
        )
    client.force_login(org_admin_a)
    data = {"kind": Job.Kind.VILLAGE_EXPORT, "organization": tree.village_b1.pk}
    response = client.post(reverse("portal_ledger_export:index"), data)
    assert response.status_code == 200  # the form refuses an organisation outside the scope
    assert not Job.objects.exists()


def test_export_kind_must_fit_the_organisation(tree, org_admin_a):
    with pytest.raises(ValidationError):
        ledger_export_start(
            kind=Job.Kind.VILLAGE_EXPORT, organization=tree.township_a, user=org_admin_a
        )


@pytest.mark.parametrize("role", [Role.MEMBER, Role.RECRUITER])
def test_other_roles_cannot_export(client, tree, user_with_role, role):
    client.force_login(user_with_role(role, tree.county))
    response = client.get(reverse("portal_ledger_export:index"))
    assert response.status_code in (302, 403)
    with pytest.raises(ValidationError):
        ledger_export_start(
            kind=Job.Kind.TOWNSHIP_EXPORT,
            organization=tree.township_a,
            user=user_with_role(role, tree.township_a),
        )
