"""Importing the member ledger: rows checked through the model, all-or-nothing, re-imports
matched by ID number, encodings, limits, JSON, and who may import into what."""

import datetime
import io
import json
import tracemalloc

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from portal.ledger.files import ledger_rows
from portal.ledger.imports import MAX_REPORTED_ERRORS, members_import
from portal.models import Member, Role
from portal.registry.factories import MemberFactory, UserFactory

from .helpers import HEADERS, bad_checksum_id, csv_bytes, json_bytes, ledger_row, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(content: bytes, name: str = "ledger.csv", user=None):
    return members_import(file=io.BytesIO(content), name=name, user=user)


def fields_in_error(report) -> set[tuple]:
    return {(error["row"], error["field"]) for error in report.errors}


def test_xlsx_ledger_creates_members_from_chinese_columns(tree):
    """A workbook with a title row: origin by code or full name, host by code, dates as
    months, gender and birth date from the ID number; each member is created once."""
    rows = [
        ledger_row(1, origin="A1", 流入地党组织="H1"),
        ledger_row(2, origin="甲二村党支部", 性别="", 流动状态="已返乡", 外出时间="2019年5月"),
    ]
    report = run(xlsx_bytes(rows), "台账.xlsx")
    assert report.ok, report.errors
    assert (report.rows, report.new, report.updated, report.unchanged) == (2, 2, 0, 0)
    first = Member.objects.get(name="党员1")
    assert first.origin == tree.village_a1
    assert first.host == tree.host_branch
    assert first.floating_since == datetime.date(2020, 3, 1)
    assert first.gender == Member.Gender.MALE
    assert first.birth_date == datetime.date(1985, 7, 3)  # what the ID number says
    second = Member.objects.get(name="党员2")
    assert second.origin == tree.village_a2
    assert second.floating_status == Member.FloatingStatus.RETURNED
    assert second.floating_since == datetime.date(2019, 5, 1)


def test_xlsx_cells_as_numbers_and_dates(tree):
    """Excel's own cell types: a phone stored as a number, a date cell; an ID number stored as
    a number is refused (Excel has already rounded it)."""
    good = ledger_row(1)
    good[HEADERS.index("手机号")] = 13700000001
    good[HEADERS.index("入党日期")] = datetime.datetime(2015, 7, 1)
    rounded = ledger_row(2)
    rounded[HEADERS.index("身份证号")] = 4.30124198506e17
    report = run(xlsx_bytes([good, rounded], title=None), "ledger.xlsx")
    assert fields_in_error(report) == {(3, "id_number")}
    good_only = run(xlsx_bytes([good], title=None), "ledger.xlsx")
    assert good_only.ok
    assert Member.objects.get(name="党员1").phone == "13700000001"


def test_bad_rows_are_reported_by_row_and_field_and_nothing_is_written(tree):
    """Valid rows beside bad ones: every bad row is reported with its row number and field,
    and not one row of the file is written."""
    rows = [
        ledger_row(1),
        ledger_row(2, 身份证号=bad_checksum_id(2)),
        ledger_row(3, 手机号="12345"),
        ledger_row(4, 所在党支部="NOPE"),
        ledger_row(5, 入党日期="yesterday"),
        ledger_row(6, 所在党支部="H1"),  # a host-side organisation cannot be the origin
        ledger_row(7),
    ]
    report = run(csv_bytes(rows))
    assert not report.ok
    assert fields_in_error(report) == {
        (3, "id_number"),
        (4, "phone"),
        (5, "origin"),
        (6, "joined_party_on"),
        (7, "origin"),
    }
    assert Member.objects.count() == 0
    by_row = {error["row"]: error for error in report.errors}
    label = str(Member._meta.get_field("id_number").verbose_name)
    assert by_row[3]["label"] == label
    assert by_row[3]["text"] == _("Row %(row)s, %(field)s: %(message)s") % {
        "row": 3,
        "field": label,
        "message": by_row[3]["message"],
    }


def test_error_messages_never_echo_id_or_phone_numbers(tree):
    """A wrong or duplicated number is reported without the number itself."""
    wrong_id = bad_checksum_id(1)
    rows = [
        ledger_row(1, 身份证号=wrong_id, 手机号="1370000000x"),
        ledger_row(2),
        ledger_row(3, 身份证号=ledger_row(2)[2], 手机号=ledger_row(2)[3]),
    ]
    report = run(csv_bytes(rows))
    text = json.dumps(report.errors, ensure_ascii=False)
    assert {(2, "id_number"), (2, "phone"), (4, "id_number"), (4, "phone")} <= fields_in_error(
        report
    )
    for number in (wrong_id, "1370000000x", ledger_row(2)[2], ledger_row(2)[3]):
        assert number not in text


def test_all_errors_are_counted_and_reported_up_to_a_cap(tree):
    """Every bad row is counted; the first MAX_REPORTED_ERRORS are listed."""
    rows = [ledger_row(n, 手机号="1") for n in range(MAX_REPORTED_ERRORS + 30)]
    report = run(csv_bytes(rows))
    assert report.error_count == MAX_REPORTED_ERRORS + 30
    assert len(report.errors) == MAX_REPORTED_ERRORS
    assert report.errors[0]["row"] == 2


def test_missing_required_column_is_a_file_error(tree):
    headers = [h for h in HEADERS if h != "所在党支部"]
    rows = [[v for h, v in zip(HEADERS, ledger_row(1), strict=True) if h != "所在党支部"]]
    report = run(csv_bytes(rows, headers=headers))
    assert [error["row"] for error in report.errors] == [None]
    assert "所在党支部" in report.errors[0]["message"]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_in_gbk_or_utf8_reads_the_same(tree, encoding):
    """Excel in China saves CSV as GBK; others as UTF-8 with or without a BOM."""
    report = run(csv_bytes([ledger_row(1, 住址="湖南省长沙县榔梨街道")], encoding=encoding))
    assert report.ok, report.errors
    assert Member.objects.get().address == "湖南省长沙县榔梨街道"


@pytest.mark.parametrize("encoding", ["big5", "utf-16"])
def test_csv_in_another_encoding_is_refused_clearly(tree, encoding):
    """A file that is neither UTF-8 nor GBK gets a file error, not garbled members."""
    report = run(csv_bytes([ledger_row(1, 姓名="龍建華")], encoding=encoding))
    assert not report.ok
    assert report.errors[0]["row"] is None
    assert "GBK" in report.errors[0]["message"]
    assert Member.objects.count() == 0


def test_csv_that_changes_encoding_midway_names_the_row(tree):
    head = csv_bytes([ledger_row(n) for n in range(1, 2000)], encoding="utf-8")
    tail = ",".join(ledger_row(5000, 姓名="龙建华")).encode("gbk") + b"\r\n"
    report = run(head + tail)
    assert [error["row"] for error in report.errors] == [None]
    assert "2001" in report.errors[0]["message"]
    assert Member.objects.count() == 0


def test_file_with_more_rows_than_the_limit_is_refused_before_writing(tree, settings):
    settings.LEDGER_IMPORT_MAX_ROWS = 50
    report = run(csv_bytes([ledger_row(n) for n in range(51)]))
    assert report.errors[0]["row"] is None
    assert "50" in report.errors[0]["message"]
    assert Member.objects.count() == 0


def test_file_larger_than_the_byte_limit_is_refused_unread(tree, settings):
    settings.LEDGER_IMPORT_MAX_BYTES = 1000
    report = run(csv_bytes([ledger_row(n) for n in range(30)]))
    assert report.rows == 0
    assert report.errors[0]["row"] is None


def test_rows_are_read_in_bounded_memory():
    """A 20,000-row CSV (about 2.5 MB) is read a row at a time: reading it all never holds
    more than a small fraction of the file."""
    content = csv_bytes([ledger_row(n) for n in range(20_000)])
    source = io.BytesIO(content)
    tracemalloc.start()
    try:
        count = sum(1 for _row in ledger_rows(source, name="big.csv", max_rows=100_000))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert peak < len(content) / 5


def test_reimport_unchanged_then_updated(tree):
    """The same file again changes nothing; a changed row updates that member only, matched by
    the ID number however it is written (lower-case x, spaces)."""
    rows = [ledger_row(n) for n in range(1, 6)]
    assert run(csv_bytes(rows)).new == 5
    again = run(csv_bytes(rows))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 5)
    changed_id = rows[2][2].lower() if rows[2][2].endswith("X") else " " + rows[2][2]
    rows[2] = ledger_row(3, 身份证号=changed_id, 工作单位="县城物流园", 流入地="长沙")
    third = run(csv_bytes(rows))
    assert (third.new, third.updated, third.unchanged) == (0, 1, 4)
    member = Member.objects.get(name="党员3")
    assert (member.employer, member.host_city) == ("县城物流园", "长沙")
    assert Member.objects.count() == 5


def test_reimport_with_a_new_phone_moves_the_login(tree):
    """The phone number is the member's login: a new phone in the ledger follows to it."""
    user = UserFactory(username="13700000001")
    run(csv_bytes([ledger_row(1)]))
    Member.objects.filter(name="党员1").update(user=user)
    report = run(csv_bytes([ledger_row(1, 手机号="13711112222")]))
    assert report.updated == 1
    user.refresh_from_db()
    assert user.username == "13711112222"


def test_columns_missing_from_the_file_are_kept(tree):
    """A re-import without the address column leaves addresses as they are."""
    run(csv_bytes([ledger_row(1)]))
    headers = [h for h in HEADERS if h != "住址"]
    row = [v for h, v in zip(HEADERS, ledger_row(1), strict=True) if h != "住址"]
    report = run(csv_bytes([row], headers=headers))
    assert report.unchanged == 1
    assert Member.objects.get().address == "深圳市宝安区"


def test_phone_of_another_member_and_duplicates_within_the_file(tree):
    existing = MemberFactory(origin=tree.village_a1, phone="13799990000")
    rows = [
        ledger_row(1, 手机号=existing.phone),
        ledger_row(2),
        ledger_row(3, 身份证号=ledger_row(2)[2]),
    ]
    report = run(csv_bytes(rows))
    assert fields_in_error(report) == {(2, "phone"), (4, "id_number")}


@pytest.mark.parametrize("wrap", [False, True])
def test_json_ledger(tree, wrap):
    """JSON: a list of objects (or {"members": [...]}); row n is the n-th object."""
    report = run(json_bytes([ledger_row(1), ledger_row(2, 手机号="1")], wrap=wrap), "l.json")
    assert fields_in_error(report) == {(2, "phone")}
    report = run(json_bytes([ledger_row(1)], wrap=wrap), "l.json")
    assert report.new == 1


def test_json_with_english_field_names(tree):
    record = {
        "name": "张三",
        "id_number": ledger_row(1)[2],
        "phone": "13700000009",
        "joined_party_on": "2012-07-01",
        "origin": "A2",
        "floating_status": "local",
    }
    report = run(json.dumps([record]).encode(), "l.json")
    assert report.ok, report.errors
    member = Member.objects.get()
    assert (member.origin, member.floating_status) == (tree.village_a2, "local")


def test_unknown_file_type_is_refused(tree):
    report = run(b"anything", "ledger.xls")
    assert report.errors[0]["row"] is None


# --- Who may import into what -----------------------------------------------------------


def test_org_admin_imports_only_into_organisations_they_keep(tree, org_admin_a):
    """Township A's admin: a row for a village of township B is a row error."""
    rows = [ledger_row(1, origin="A1"), ledger_row(2, origin="B1")]
    report = run(csv_bytes(rows), user=org_admin_a)
    assert fields_in_error(report) == {(3, "origin")}
    assert run(csv_bytes(rows[:1]), user=org_admin_a).new == 1


def test_org_admin_cannot_take_over_a_member_kept_elsewhere(tree, members, org_admin_a):
    """A row matching a member of township B by ID number cannot move them into A."""
    row = ledger_row(1, 身份证号=members.b1.id_number, 手机号=members.b1.phone)
    report = run(csv_bytes([row]), user=org_admin_a)
    assert fields_in_error(report) == {(2, "id_number")}
    members.b1.refresh_from_db()
    assert members.b1.origin == tree.village_b1


def test_a_member_kept_elsewhere_is_refused_without_saying_they_are_registered(
    tree, members, org_admin_a
):
    """The importer is no membership oracle: the refusal says neither that the ID number is
    registered nor by whom, only whom to ask."""
    row = ledger_row(1, 身份证号=members.b1.id_number, 手机号=members.b1.phone)
    error = run(csv_bytes([row]), user=org_admin_a).errors[0]
    assert error["message"] == _(
        "This person cannot be imported here: ask the county organisation department."
    )
    for leak in ("登记", "registered", "管理范围", tree.village_b1.name, tree.township_b.name):
        assert leak not in error["text"]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.RECRUITER, Role.EDITOR])
def test_other_roles_keep_no_organisation_to_import_into(tree, user_with_role, role):
    user = user_with_role(role, tree.county)
    report = run(csv_bytes([ledger_row(1)]), user=user)
    assert fields_in_error(report) == {(2, "origin")}
    assert Member.objects.count() == 0


# --- The command ---------------------------------------------------------------------------


def test_command_imports_and_reports_counts(tree, tmp_path):
    path = tmp_path / "台账.csv"
    path.write_bytes(csv_bytes([ledger_row(1), ledger_row(2)], encoding="gbk"))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_members", str(path), stdout=out, stderr=err)
    assert Member.objects.count() == 2
    call_command("import_members", str(path), stdout=out, stderr=err)
    assert Member.objects.count() == 2


def test_command_fails_on_a_bad_file_and_lists_the_rows(tree, tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_bytes(csv_bytes([ledger_row(1), ledger_row(2, 手机号="1")]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_members", str(path), stdout=io.StringIO(), stderr=err)
    assert "3" in err.getvalue()
    assert Member.objects.count() == 0


def test_command_as_a_user_is_scoped(tree, org_admin_a, tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_bytes(csv_bytes([ledger_row(1, origin="B1")]))
    with pytest.raises(CommandError):
        call_command(
            "import_members",
            str(path),
            "--user",
            "admin_a",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert Member.objects.count() == 0


def test_a_phone_of_a_member_kept_elsewhere_is_refused_without_saying_it_is_registered(
    tree, members, org_admin_a
):
    """A new person with the phone of township B's member: the refusal does not tell A's admin
    that the number belongs to a member, only whom to ask; B's own admin is told plainly."""
    row = ledger_row(1, origin="A1", 手机号=members.b1.phone)
    error = run(csv_bytes([row]), user=org_admin_a).errors[0]
    assert error["field"] == "phone"
    assert error["message"] == _(
        "This phone number cannot be used here: ask the county organisation department."
    )
    assert "registered" not in error["message"] and members.b1.phone not in error["text"]
    row = ledger_row(1, origin="A1", 手机号=members.a2.phone)
    error = run(csv_bytes([row]), user=org_admin_a).errors[0]
    assert error["message"] == _("This phone number is registered for another member.")
