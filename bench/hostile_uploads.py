"""Hostile and damaged ledger uploads: how much CPU the upload request and the import job's
reading spend on each, before the file is refused (or found to hold nothing).

The files, built in memory (issue 14's cases):

- ``empty-rows``: a header, one member and 100,000 rows holding only an empty styled cell at
  column XFD, the sheet declaring ``A1:XFD100003`` (about 0.5 MB);
- ``empty-rows-undeclared``: the same without a declared size;
- ``at-the-limit``: 100,000 members, no declared size (a file the import takes);
- ``too-many-rows``: 150,000 rows of ledger data, declared as such (about 3 MB);
- ``too-many-rows-undeclared``: the same without a declared size, read until the limit;
- ``damaged-cell``: a cell referenced as ``r="A"``;
- ``zip-bomb``: a shared-strings part that unpacks to 300 MB from under 1 MB.

For each: CPU seconds (this process's user + sys, ``time.process_time``) of the request's
check (``portal.ledger.files.upload_check``: zip directory, declared size; the request also
saves the file, which is I/O) and of the job's reading (``ledger_rows`` until the end or the
first refusal; the rows' validation against the database is not included). And, for
``empty-rows``, the reading as it was before issue 14 (openpyxl's read-only rows as wide as the
declared size), over its first ``--before-rows`` rows, scaled to 100,000 rows.

No database, no server: Django is set up with the dev settings on an in-memory SQLite.

    .venv/bin/python bench/hostile_uploads.py [--before-rows 200] [--json]
"""

import argparse
import io
import json
import os
import sys
import time
import zipfile
from pathlib import Path

from common import ROOT, machine, print_table, write_results

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
os.environ["DATABASE_URL"] = "sqlite:///:memory:"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from portal.ledger.files import LedgerFileError, ledger_rows, upload_check  # noqa: E402

HEADERS = ["姓名", "身份证号", "手机号", "入党日期", "所在党支部", "流动状态", "工作单位"]
ROW = ["王建国", "11010519491231002X", "13900000011", "2015-07-01", "A1", "流动", "某电子厂"]
SHEET = "xl/worksheets/sheet1.xml"


def workbook(rows: int = 1) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(HEADERS)
    for _ in range(rows):
        sheet.append(ROW)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rebuilt(content: bytes, change, extra: dict | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, change(data) if info.filename == SHEET else data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return buffer.getvalue()


def with_rows(xml: bytes, rows: str, dimension: str | None) -> bytes:
    xml = xml.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
    if dimension:
        declared = f'<dimension ref="{dimension}" />'.encode()
        xml = xml.replace(b"<sheetViews>", declared + b"<sheetViews>")
    return xml


def empty_rows(count: int, dimension: str | None) -> bytes:
    rows = "".join(f'<row r="{n}"><c r="XFD{n}" s="0"/></row>' for n in range(3, 3 + count))
    return rebuilt(workbook(), lambda xml: with_rows(xml, rows, dimension))


def data_rows(count: int, dimension: str | None) -> bytes:
    cells = "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in ROW)
    rows = "".join(f'<row r="{n}">{cells}</row>' for n in range(3, 3 + count))
    return rebuilt(workbook(), lambda xml: with_rows(xml, rows, dimension))


def files() -> dict[str, bytes]:
    bomb = b"<sst>" + b"<si><t>" + b"x" * (300 * 1024 * 1024) + b"</t></si></sst>"
    return {
        "empty-rows": empty_rows(100_000, "A1:XFD100003"),
        "empty-rows-undeclared": empty_rows(100_000, None),
        "at-the-limit": data_rows(99_999, None),
        "too-many-rows": data_rows(150_000, "A1:G150003"),
        "too-many-rows-undeclared": data_rows(150_000, None),
        "damaged-cell": rebuilt(workbook(3), lambda xml: xml.replace(b'r="A3"', b'r="A"')),
        "zip-bomb": rebuilt(workbook(), lambda xml: xml, {"xl/sharedStrings2.xml": bomb}),
    }


def cpu(work) -> tuple[float, str]:
    started = time.process_time()
    try:
        outcome = work()
    except (ValidationError, LedgerFileError) as exc:
        outcome = "refused: " + " ".join(getattr(exc, "messages", [getattr(exc, "message", "")]))
    return time.process_time() - started, str(outcome)


def request_check(content: bytes):
    upload = SimpleUploadedFile("台账.xlsx", content)
    upload_check(
        upload,
        max_bytes=settings.LEDGER_IMPORT_MAX_BYTES,
        max_rows=settings.LEDGER_IMPORT_MAX_ROWS,
    )
    return "accepted"


def job_reading(content: bytes):
    rows = ledger_rows(
        io.BytesIO(content), name="台账.xlsx", max_rows=settings.LEDGER_IMPORT_MAX_ROWS
    )
    return f"{sum(1 for _ in rows)} rows"


def before_reading(content: bytes, rows: int) -> float:
    """Seconds per 100,000 rows of the reading before issue 14: rows as wide as declared."""
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    started = time.process_time()
    for number, _values in enumerate(book.worksheets[0].iter_rows(values_only=True), 1):
        if number >= rows:
            break
    return (time.process_time() - started) * 100_000 / rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before-rows", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    facts = machine()
    results = []
    built = files()
    for name, content in built.items():
        check_seconds, check_outcome = cpu(lambda c=content: request_check(c))
        read_seconds, read_outcome = cpu(lambda c=content: job_reading(c))
        results.append(
            {
                "file": name,
                "bytes": len(content),
                "request_cpu_s": round(check_seconds, 4),
                "request": check_outcome[:60],
                "job_reading_cpu_s": round(read_seconds, 3),
                "job_reading": read_outcome[:60],
            }
        )
    before = before_reading(built["empty-rows"], options.before_rows)
    data = {"machine": facts, "results": results, "before_empty_rows_cpu_s": round(before, 1)}
    if options.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        header = ("file", "bytes", "request CPU s", "job reading CPU s", "job reading")
        rows = [
            (r["file"], r["bytes"], r["request_cpu_s"], r["job_reading_cpu_s"], r["job_reading"])
            for r in results
        ]
        print_table(header, rows)
        print(f"before issue 14, empty-rows read in ≈ {before:.1f} s of CPU (scaled)")
    print(f"results: {write_results('hostile_uploads', data).relative_to(Path.cwd())}")


if __name__ == "__main__":
    main()
