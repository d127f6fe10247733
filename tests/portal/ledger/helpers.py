"""Ledger files for the import, export and job tests: rows as organisations write them."""

import csv
import io
import json
import re
import zipfile

from django.utils.translation import gettext
from openpyxl import Workbook

from portal.registry.factories import make_id_number
from portal.registry.identity import id_number_check_char

HEADERS = [
    "姓名",
    "性别",
    "身份证号",
    "手机号",
    "入党日期",
    "所在党支部",
    "流动状态",
    "外出时间",
    "流入地",
    "流入地党组织",
    "工作单位",
    "住址",
]


def ledger_row(n: int, origin: str = "A1", **changes) -> list:
    """Row n of a valid ledger: a man born 1990 (ID from the factories' scheme)."""
    row = {
        "姓名": f"党员{n}",
        "性别": "男",
        "身份证号": make_id_number(9000 + n),
        "手机号": f"137{n:08d}",
        "入党日期": "2015-07-01",
        "所在党支部": origin,
        "流动状态": "流动",
        "外出时间": "2020.03",
        "流入地": "深圳",
        "流入地党组织": "",
        "工作单位": "某电子厂",
        "住址": "深圳市宝安区",
    }
    row.update(changes)
    return [row[h] for h in HEADERS]


def bad_checksum_id(n: int) -> str:
    good = make_id_number(9000 + n)
    wrong = "0" if id_number_check_char(good[:17]) != "0" else "1"
    return good[:17] + wrong


def csv_bytes(rows: list[list], encoding: str = "utf-8", headers=HEADERS) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    # Characters another encoding lacks become "?", as a careless export would leave them.
    return buffer.getvalue().encode(encoding, errors="replace")


def xlsx_bytes(rows: list[list], title: str | None = "甲镇流动党员台账", headers=HEADERS) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("台账")
    if title:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def json_bytes(rows: list[list], wrap: bool = False) -> bytes:
    records = [dict(zip(HEADERS, row, strict=True)) for row in rows]
    return json.dumps({"members": records} if wrap else records, ensure_ascii=False).encode()


def xlsx_with_sheet(content: bytes, change) -> bytes:
    """The workbook ``content`` with its first sheet's XML replaced by ``change(xml)``: a
    damaged or hostile file no spreadsheet program would write."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(info.filename, data)
    return buffer.getvalue()


def xlsx_of_empty_rows(content: bytes, count: int, dimension: str | None = None) -> bytes:
    """``content`` followed by ``count`` rows holding nothing but an empty styled cell at
    column XFD, the dimension declared as given (or left as it was)."""

    def change(xml: bytes) -> bytes:
        start = xml.count(b"<row ") + 1
        rows = "".join(
            f'<row r="{n}"><c r="XFD{n}" s="0"/></row>' for n in range(start, start + count)
        )
        xml = xml.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
        if dimension:
            xml = re.sub(rb"<dimension [^>]*>", b"", xml)
            declared = f'<dimension ref="{dimension}" />'.encode()
            xml = xml.replace(b"<sheetViews>", declared + b"<sheetViews>")
        return xml

    return xlsx_with_sheet(content, change)


def damaged_cell(content: bytes) -> bytes:
    """The workbook with row 3's first cell referenced as ``r="A"`` (no row number)."""
    return xlsx_with_sheet(content, lambda xml: xml.replace(b'r="A3"', b'r="A"'))


def failed_on_damaged_row(job, row: int) -> bool:
    """The job failed with one error naming ``row`` as unreadable (and no "第 None 行")."""
    message = gettext("Row %(row)s of the workbook cannot be read: the file is damaged.")
    texts = [error["text"] for error in job.errors]
    return job.status == "failed" and texts == [message % {"row": row}]
