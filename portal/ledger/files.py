"""The ledger (台账) as files: the columns organisations keep, and rows read from .xlsx, .csv
and .json one at a time, so a file of any size is read in bounded memory.

Headers are matched loosely: the Chinese names organisations use (姓名, 身份证号 …), the
model's field names (``id_number``), or the field's label in the active language (what our
own exports write). Unknown columns (序号, 备注 …) are ignored. A title row above the header
is skipped. See docs/adr/0008-ledger-files-with-openpyxl.md.
"""

import codecs
import csv
import datetime
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import range_boundaries
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from portal.registry.models import Member

# Field → the headers organisations write for it (the file format, not text we show).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "党员姓名"),
    "gender": ("性别",),
    "birth_date": ("出生日期", "出生年月"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码"),
    "phone": ("手机号", "手机号码", "联系电话", "联系方式"),
    "joined_party_on": ("入党日期", "入党时间"),
    "origin": ("所在党支部", "所在党组织", "流出地党组织"),
    "floating_status": ("流动状态",),
    "floating_since": ("外出时间", "外出日期", "流出时间"),
    "host_city": ("流入地", "流入城市"),
    "host": ("流入地党组织",),
    "employer": ("工作单位",),
    "address": ("住址", "现住址", "居住地址"),
}
LEDGER_FIELDS = tuple(COLUMN_ALIASES)
REQUIRED_FIELDS = ("name", "id_number", "phone", "joined_party_on", "origin")
# The title rows an organisation puts above the header (台账名称, 填报单位 …).
HEADER_SEARCH_ROWS = 10
SNIFF_BYTES = 64 * 1024
# Columns read from a worksheet: a ledger has about fifteen; a cell declared at column XFD
# must not turn every empty row into 16,384 values.
MAX_COLUMNS = 100
ROW_COUNT_CHUNK = 1024 * 1024
DIMENSION_TAG = f"{{{SHEET_MAIN_NS}}}dimension"
SHEET_DATA_TAG = f"{{{SHEET_MAIN_NS}}}sheetData"
EXTENSIONS = (".xlsx", ".csv", ".json")

SHEET_TITLE_MAX = 31
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class LedgerFileError(Exception):
    """The file as a whole cannot be read: no row of it is imported."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def header_key(text: Any) -> str:
    return re.sub(r"[\s*＊]", "", str(text or "")).lower()


def header_lookup() -> dict[str, str]:
    """Normalised header → field, built per call: labels depend on the active language."""
    lookup = {}
    for field, aliases in COLUMN_ALIASES.items():
        label = Member._meta.get_field(field).verbose_name
        for header in (*aliases, field, str(label)):
            lookup[header_key(header)] = field
    return lookup


def header_fields(values, lookup: dict[str, str]) -> dict[int, str]:
    """Column position → field for a row that reads as the header; empty if it does not."""
    columns = {}
    for position, value in enumerate(values):
        field = lookup.get(header_key(value))
        if field and field not in columns.values():
            columns[position] = field
    return columns if {"name", "id_number"} <= set(columns.values()) else {}


def ledger_rows(file: IO[bytes], *, name: str, max_rows: int) -> Iterator[tuple[int, dict]]:
    """Yield (row number as the user sees it, {field: raw value}) for each non-empty row.

    Raises LedgerFileError for a file that cannot be read, lacks required columns or has more
    than ``max_rows`` rows (found while reading, so a huge file stops early).
    """
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xlsx":
        rows = xlsx_rows(file, max_rows=max_rows)
    elif suffix == ".csv":
        rows = csv_rows(file, max_rows=max_rows)
    elif suffix == ".json":
        rows = _json_rows(file)
    else:
        raise LedgerFileError(_("Upload the ledger as an .xlsx, .csv or .json file."))
    yield from _records(rows, max_rows=max_rows, csv_hint=suffix == ".csv")


def _records(rows, *, max_rows: int, csv_hint: bool) -> Iterator[tuple[int, dict]]:
    lookup, columns, count = header_lookup(), {}, 0
    for number, values in rows:
        if not values:  # an empty row costs nothing more (thousands of them are a cheap file)
            continue
        if isinstance(values, dict):  # JSON: the keys are the header
            values = {lookup.get(header_key(key)): value for key, value in values.items()}
            record = {field: value for field, value in values.items() if field}
        elif not columns:
            columns = header_fields(values, lookup)
            if not columns and number >= HEADER_SEARCH_ROWS:
                raise LedgerFileError(_no_header_message(csv_hint))
            if columns:
                _require_columns(set(columns.values()))
            continue
        else:
            record = {field: values[i] for i, field in columns.items() if i < len(values)}
        if all(value in (None, "") for value in record.values()):
            continue
        count += 1
        if count > max_rows:
            raise LedgerFileError(too_many_rows_message(max_rows))
        yield number, record
    if not columns and count == 0:
        raise LedgerFileError(_no_header_message(csv_hint))


def _no_header_message(csv_hint: bool) -> str:
    message = _("No header row with the ledger's columns (姓名, 身份证号 …) was found.")
    if csv_hint:
        message += " " + _("If the headers look garbled, save the CSV as UTF-8 or GBK.")
    return message


def _require_columns(present: set[str]) -> None:
    missing = [f for f in REQUIRED_FIELDS if f not in present]
    if missing:
        labels = "、".join(COLUMN_ALIASES[f][0] for f in missing)
        raise LedgerFileError(
            _("The file lacks required columns: %(columns)s.") % {"columns": labels}
        )


def too_many_rows_message(max_rows: int) -> str:
    return _("The file has more than %(max)s rows; split it into smaller files.") % {
        "max": max_rows
    }


def damaged_xlsx_message() -> str:
    return _("The file is not a readable .xlsx workbook (an old .xls must be saved as .xlsx).")


def row_cap(max_rows: int) -> int:
    """The last row number read, empty rows included: the data rows plus title rows."""
    return max_rows + HEADER_SEARCH_ROWS


def xlsx_check(file: IO[bytes], *, max_rows: int) -> None:
    """Refuse a workbook before parsing a row of it: not a zip, unpacking to more than
    LEDGER_IMPORT_MAX_UNPACKED_BYTES (the zip's directory says so; Python's zipfile holds
    each part to its declared size), or a first sheet declaring or holding more rows than
    ``max_rows`` allows (its ``<row`` tags counted in the raw bytes, so a file without a
    declared size or a false one costs a pass of decompression, not of parsing)."""
    try:
        reader = ExcelReader(file, read_only=True)
        try:
            _unpacked_size_check(reader.archive)
            reader.read_manifest()
            reader.read_workbook()
            sheet = next(
                rel.target
                for _sheet, rel in reader.parser.find_sheets()
                if rel.Type.endswith("/worksheet")
            )
            with reader.archive.open(sheet) as source:
                declared = _declared_rows(source)
            cap = row_cap(max_rows)
            if (declared or 0) > cap or _row_tags_over(reader.archive, sheet, cap):
                raise LedgerFileError(too_many_rows_message(max_rows))
        finally:
            reader.archive.close()
    except LedgerFileError:
        raise
    except Exception as exc:  # noqa: BLE001 — zipfile and openpyxl raise many kinds
        raise LedgerFileError(damaged_xlsx_message()) from exc
    finally:
        file.seek(0)


def _unpacked_size_check(archive: zipfile.ZipFile) -> None:
    limit = settings.LEDGER_IMPORT_MAX_UNPACKED_BYTES
    if sum(info.file_size for info in archive.infolist()) > limit:
        raise LedgerFileError(too_big_message(limit))


def _declared_rows(source: IO[bytes]) -> int | None:
    """The last row the sheet's <dimension> declares; None without one (it comes before the
    sheet's data, so parsing stops there)."""
    for _event, element in iterparse(source, events=("start",)):
        if element.tag == DIMENSION_TAG:
            return range_boundaries(element.get("ref", ""))[3]
        if element.tag == SHEET_DATA_TAG:
            return None
    return None


def _row_tags_over(archive: zipfile.ZipFile, sheet: str, cap: int) -> bool:
    """Whether the sheet's XML holds more than ``cap`` row elements, counted as bytes."""
    count, tail = 0, b""
    with archive.open(sheet) as source:
        while chunk := source.read(ROW_COUNT_CHUNK):
            data = tail + chunk
            count += data.count(b"<row ") + data.count(b"<row>")
            if count > cap:
                return True
            tail = data[-4:]  # shorter than a tag: a tag across chunks is counted once
    return False


def xlsx_rows(file: IO[bytes], *, max_rows: int) -> Iterator[tuple[int, tuple]]:
    """The first sheet's rows, numbered as the user sees them, at most MAX_COLUMNS wide.

    A damaged sheet (a cell reference like ``r="A"``, a truncated zip) raises
    LedgerFileError at the row where it breaks; so does a row past ``row_cap(max_rows)``,
    empty or not, so a file of a million empty rows stops early."""
    xlsx_check(file, max_rows=max_rows)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — openpyxl raises many kinds for a bad zip
        raise LedgerFileError(damaged_xlsx_message()) from exc
    try:
        sheet = workbook.worksheets[0]
        # The declared size was checked; past it, rows are read as they come, not cut off.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        for number in range(1, row_cap(max_rows) + 2):
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # noqa: BLE001 — a damaged sheet fails in many ways
                message = _("Row %(row)s of the workbook cannot be read: the file is damaged.")
                raise LedgerFileError(message % {"row": number}) from exc
            if number > row_cap(max_rows):
                raise LedgerFileError(too_many_rows_message(max_rows))
            yield number, () if values.count(None) == len(values) else values
    finally:
        workbook.close()


def csv_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030 (a superset of GBK, what Excel in China saves)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise LedgerFileError(
            _("The CSV is saved as UTF-16 (Unicode text): save it as CSV UTF-8 or GBK instead.")
        )
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise LedgerFileError(_("The CSV is neither UTF-8 nor GBK: save it as CSV UTF-8 or GBK."))


def csv_rows(file: IO[bytes], *, max_rows: int) -> Iterator[tuple[int, list]]:
    encoding = csv_encoding(file.read(SNIFF_BYTES))
    file.seek(0)
    lines = _decoded_lines(file, encoding)
    try:
        for number, values in enumerate(csv.reader(lines), start=1):
            if number > row_cap(max_rows):
                raise LedgerFileError(too_many_rows_message(max_rows))
            yield number, [value.strip() for value in values]
    except csv.Error as exc:
        raise LedgerFileError(_("The file is not valid CSV.")) from exc


def _decoded_lines(file: IO[bytes], encoding: str) -> Iterator[str]:
    """Lines decoded one at a time, so a line in another encoding is named by its number.
    (Neither UTF-8 nor GB18030 has a newline byte inside a multi-byte character.)"""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    for number, line in enumerate(file, start=1):
        try:
            yield decoder.decode(line)
        except UnicodeDecodeError as exc:
            name = "GBK" if encoding == "gb18030" else "UTF-8"
            message = _(
                "Row %(row)s cannot be read as %(encoding)s: save the whole file in one encoding."
            )
            raise LedgerFileError(message % {"row": number, "encoding": name}) from exc


def json_objects(file: IO[bytes], *, key: str, shape_message: str) -> list[dict]:
    """The objects of a JSON ledger: a list of objects, or {key: [...]}; anything else raises
    LedgerFileError (``shape_message`` says what the file should hold)."""
    try:
        data = json.load(io.TextIOWrapper(file, encoding="utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # too deep: RecursionError
        raise LedgerFileError(_("The file is not valid JSON in UTF-8.")) from exc
    if isinstance(data, dict):
        data = data.get(key)
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise LedgerFileError(shape_message)
    return data


def _json_rows(file: IO[bytes]) -> Iterator[tuple[int, dict]]:
    """A list of objects, or {"members": [...]}; row n is the n-th object. The byte limit
    bounds it: JSON is parsed whole."""
    data = json_objects(
        file,
        key="members",
        shape_message=_('The JSON must be a list of members or {"members": [...]}.'),
    )
    if data:
        _require_columns(
            {field for key in data[0] if (field := header_lookup().get(header_key(key)))}
        )
    yield from enumerate(data, start=1)


# --- Limits: what an import refuses before reading a row -------------------------------


def file_size(file: IO[bytes]) -> int:
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    return size


def too_big_message(max_bytes: int) -> str:
    megabytes = max_bytes / 1024 / 1024
    return _("The file is larger than %(mb).0f MB; split it into smaller files.") % {
        "mb": megabytes
    }


def upload_check(upload, *, max_bytes: int, max_rows: int) -> None:
    """Refuse an upload larger than ``max_bytes``, not a ledger file, or a workbook that
    ``xlsx_check`` refuses (errors keyed "file"); in milliseconds, before any job starts."""
    if upload.size > max_bytes:
        raise ValidationError({"file": too_big_message(max_bytes)})
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in EXTENSIONS:
        raise ValidationError({"file": _("Upload the ledger as an .xlsx, .csv or .json file.")})
    if suffix == ".xlsx":
        try:
            xlsx_check(upload, max_rows=max_rows)
        except LedgerFileError as exc:
            raise ValidationError({"file": exc.message}) from exc


# --- Writing ---------------------------------------------------------------------------


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique worksheet title: no []:*?/\\, not quoted at the ends, 31 characters at
    most (Excel's limit), de-duplicated case-insensitively as Excel compares them."""
    title = SHEET_TITLE_FORBIDDEN.sub("_", name).strip().strip("'") or "Sheet"
    title = title[:SHEET_TITLE_MAX]
    candidate, counter = title, 1
    while candidate.lower() in taken:
        counter += 1
        tail = f"({counter})"
        candidate = title[: SHEET_TITLE_MAX - len(tail)] + tail
    taken.add(candidate.lower())
    return candidate


def as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None
