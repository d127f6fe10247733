"""Ledger files that are damaged or hostile: refused at once, in a few milliseconds of reading,
with a message naming the problem; empty rows cost nothing; rows past the limit stop the
reading there. (The speed itself is benchmarked in bench/hostile_uploads.py.)"""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.ledger.files import (
    LedgerFileError,
    damaged_xlsx_message,
    ledger_rows,
    too_many_rows_message,
    upload_check,
)

from .helpers import damaged_cell, ledger_row, xlsx_bytes, xlsx_of_empty_rows, xlsx_with_sheet

MAX = 100_000


def read(content: bytes, max_rows: int = MAX) -> list:
    return list(ledger_rows(io.BytesIO(content), name="l.xlsx", max_rows=max_rows))


def check(content: bytes, max_rows: int = MAX) -> None:
    upload = SimpleUploadedFile("台账.xlsx", content)
    upload_check(upload, max_bytes=len(content) + 1, max_rows=max_rows)


def test_a_cell_without_a_row_number_names_the_row_it_breaks_on():
    with pytest.raises(LedgerFileError) as caught:
        read(damaged_cell(xlsx_bytes([ledger_row(1)])))
    assert "3" in caught.value.message


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04 not a zip at all",
        xlsx_bytes([ledger_row(1)])[:2000],  # truncated
        b"hello, world",
    ],
    ids=["fake zip", "truncated", "text"],
)
def test_a_file_that_is_no_workbook_is_refused_at_upload(content):
    with pytest.raises(ValidationError) as caught:
        check(content)
    assert caught.value.message_dict == {"file": [damaged_xlsx_message()]}
    with pytest.raises(LedgerFileError):
        read(content)


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ValidationError):
        check(buffer.getvalue())


def test_a_declared_size_over_the_limit_is_refused_before_reading_a_row():
    content = xlsx_of_empty_rows(xlsx_bytes([ledger_row(1)]), 3, dimension="A1:L1048576")
    with pytest.raises(ValidationError) as caught:
        check(content)
    assert caught.value.message_dict == {"file": [too_many_rows_message(MAX)]}


def test_a_workbook_unpacking_past_the_limit_is_refused(settings):
    content = xlsx_bytes([ledger_row(n) for n in range(50)])
    settings.LEDGER_IMPORT_MAX_UNPACKED_BYTES = 10_000
    with pytest.raises(ValidationError) as caught:
        check(content)
    assert "MB" in caught.value.message_dict["file"][0]


def test_empty_rows_are_skipped_and_the_rows_after_them_read():
    content = xlsx_of_empty_rows(xlsx_bytes([ledger_row(1)]), 5000, dimension="A1:XFD5003")
    assert len(read(content)) == 1


def test_empty_rows_past_the_limit_stop_the_reading_undeclared():
    """No declared size (or a false one): reading stops at the limit, not at row 1,048,576."""
    content = xlsx_with_sheet(
        xlsx_bytes([ledger_row(1)]),
        lambda xml: xml.replace(
            b"</sheetData>", b'<row r="1048576"><c r="A1048576"/></row></sheetData>'
        ),
    )
    with pytest.raises(LedgerFileError) as caught:
        read(content, max_rows=100)
    assert caught.value.message == too_many_rows_message(100)


def test_a_good_workbook_passes_the_upload_check():
    check(xlsx_bytes([ledger_row(1)]))


def test_rows_over_the_limit_without_a_declared_size_are_refused_at_upload():
    """No <dimension>: the upload's check counts the sheet's rows without parsing them."""
    content = xlsx_bytes([ledger_row(n) for n in range(1, 30)], title=None)
    with pytest.raises(ValidationError) as caught:
        check(content, max_rows=15)
    assert caught.value.message_dict == {"file": [too_many_rows_message(15)]}
    check(content, max_rows=29)


def test_a_json_ledger_nested_too_deep_is_a_file_error():
    content = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(LedgerFileError):
        list(ledger_rows(io.BytesIO(content), name="l.json", max_rows=MAX))
