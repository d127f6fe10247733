"""Importing the talent ledger (人才库台账) from .xlsx, .csv (UTF-8 or GBK) or .json.

The file readers and cell parsers are the member ledger's (portal.ledger.files,
portal.ledger.cells). Every row goes through the same services as the admin, inside one
transaction: a file with any bad row is rolled back whole, and a row that matches its
profile exactly is counted unchanged and not saved, so importing a file twice changes nothing.
Talent ledgers are a county's few thousand people, so rows are held in memory.
"""

import re
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.ledger.cells import cell_choice, cell_id_number, cell_text
from portal.ledger.files import (
    LedgerFileError,
    csv_rows,
    file_size,
    header_key,
    json_objects,
    too_big_message,
    too_many_rows_message,
    xlsx_rows,
)
from portal.ledger.imports import MAX_REPORTED_ERRORS, ImportReport, ledger_error
from portal.ledger.jobs import NoProgress, Progress
from portal.models import Member, Organization
from portal.registry.identity import phone_normalize
from talent import services
from talent.models import CommitteeRole, Industry, TalentProfile, Willingness

# Field → the headers the talent ledger uses (the file format, not text we show).
TALENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名",),
    "id_number": ("身份证号", "身份证号码"),
    "phone": ("手机号", "手机号码", "联系电话"),
    "hometown_township": ("户籍乡镇",),
    "hometown_village": ("户籍村", "户籍村（社区）"),
    "current_city": ("现居城市",),
    "employer": ("工作单位",),
    "industry": ("行业",),
    "occupation": ("职业",),
    "education": ("学历",),
    "skills": ("技能",),
    "venture": ("创业项目",),
    "venture_employees": ("带动就业人数",),
    "honours": ("荣誉",),
    "trainings": ("培训经历",),
    "willingness": ("返乡意愿",),
    "roles": ("可任职务",),
    "self_introduction": ("自我介绍",),
}
EDUCATION_WORDS = {
    "初中及以下": 1,
    "初中": 1,
    "小学": 1,
    "高中": 2,
    "中专": 2,
    "高中/中专": 2,
    "大专": 3,
    "本科": 4,
    "研究生": 5,
    "硕士": 5,
    "博士": 5,
}
INDUSTRY_WORDS = {
    "农业": "agriculture",
    "养殖": "agriculture",
    "制造业": "manufacturing",
    "建筑业": "construction",
    "商贸": "trade",
    "电商": "trade",
    "物流": "transport",
    "运输": "transport",
    "服务业": "services",
    "餐饮": "services",
    "信息技术": "it",
    "教育": "education",
    "医疗": "education",
    "其他": "other",
}
WILLINGNESS_WORDS = {
    "愿意": "yes",
    "是": "yes",
    "考虑": "maybe",
    "可以考虑": "maybe",
    "不愿意": "no",
    "否": "no",
    "未知": "unknown",
}
ROLE_WORDS = {
    "村党组织书记": "secretary",
    "书记": "secretary",
    "村委会主任": "director",
    "主任": "director",
    "两委委员": "member",
    "委员": "member",
    "后备干部": "reserve",
}
LIST_SEPARATORS = re.compile(r"[,，、;；/\s]+")

parse_industry = cell_choice(INDUSTRY_WORDS, Industry)
parse_willingness = cell_choice(WILLINGNESS_WORDS, Willingness)
parse_role = cell_choice(ROLE_WORDS, CommitteeRole)


class TalentImportReport(ImportReport):
    """The member import's counts and capped errors, labelled with the profile's fields."""

    def add_error(self, row: int | None, field_name: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) >= MAX_REPORTED_ERRORS:
            return
        self.errors.append(ledger_error(row, field_name, message, label=_field_label(field_name)))


def _field_label(name: str) -> str:
    if name in TALENT_COLUMNS:
        return str(TalentProfile._meta.get_field(name).verbose_name)
    return ""


def talent_import(
    *,
    file: IO[bytes],
    name: str,
    progress: Progress | None = None,
    before_commit: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import every row or none; the report counts new, updated and unchanged profiles.

    ``before_commit`` runs inside the transaction once every row passed (a job marks itself
    done there, atomically with the data).
    """
    progress = progress or NoProgress()
    report = TalentImportReport()
    if file_size(file) > settings.TALENT_IMPORT_MAX_BYTES:
        report.add_error(None, "", too_big_message(settings.TALENT_IMPORT_MAX_BYTES))
        return report
    try:
        rows = list(talent_rows(file, name=name))
    except LedgerFileError as exc:
        report.add_error(None, "", exc.message)
        return report
    progress.phase("validate", len(rows))
    with transaction.atomic():
        importer = RowImporter(report)
        for number, record in rows:
            importer.row(number, record)
            progress.advance()
        if not report.ok:
            transaction.set_rollback(True)
            report.new = report.updated = report.unchanged = 0
        elif before_commit is not None:
            before_commit(report)
    return report


def talent_rows(file: IO[bytes], *, name: str) -> Iterator[tuple[int, dict]]:
    """(row number as the user sees it, {field: raw value}) for every non-empty row."""
    suffix = PurePath(name).suffix.lower()
    max_rows = settings.TALENT_IMPORT_MAX_ROWS
    readers = {
        ".xlsx": partial(xlsx_rows, max_rows=max_rows),
        ".csv": partial(csv_rows, max_rows=max_rows),
        ".json": _json_rows,
    }
    if suffix not in readers:
        raise LedgerFileError(_("Upload the ledger as an .xlsx, .csv or .json file."))
    lookup = {header_key(h): f for f, aliases in TALENT_COLUMNS.items() for h in (*aliases, f)}
    columns: dict[int, str] = {}
    count = 0
    for number, values in readers[suffix](file):
        if not values:  # an empty row: nothing to look at
            continue
        if isinstance(values, dict):
            record = {
                lookup[header_key(k)]: v for k, v in values.items() if header_key(k) in lookup
            }
        elif not columns:
            columns = _header(values, lookup, number)
            continue
        else:
            record = {field: values[i] for i, field in columns.items() if i < len(values)}
        if any(value not in (None, "") for value in record.values()):
            count += 1
            if count > max_rows:
                raise LedgerFileError(too_many_rows_message(max_rows))
            yield number, record


def _header(values, lookup: dict, number: int) -> dict[int, str]:
    columns = {i: lookup[header_key(v)] for i, v in enumerate(values) if header_key(v) in lookup}
    if {"name", "id_number"} <= set(columns.values()):
        return columns
    if number >= 10:
        raise LedgerFileError(
            _("No header row with the ledger's columns (姓名, 身份证号 …) was found.")
        )
    return {}


def _json_rows(file: IO[bytes]) -> Iterator[tuple[int, dict]]:
    """A list of objects, or {"profiles": [...]}; row n is the n-th object."""
    data = json_objects(
        file,
        key="profiles",
        shape_message=_('The JSON must be a list of profiles or {"profiles": [...]}.'),
    )
    yield from enumerate(data, start=1)


class RowImporter:
    """One row: parse the cells, find the profile (by member or ID number), save through the
    services, and count what happened."""

    def __init__(self, report: ImportReport):
        self.report = report
        self.seen: dict[str, int] = {}
        homes = Organization.objects.home_side().only("id", "name", "code", "level", "path")
        self.townships = {}
        self.villages: dict[str, list[Organization]] = {}
        for org in homes:
            if org.level == Organization.Level.TOWNSHIP:
                self.townships[org.name] = self.townships[org.code.lower()] = org
            elif org.level in (Organization.Level.VILLAGE, Organization.Level.COMMUNITY):
                self.villages.setdefault(org.name, []).append(org)
                self.villages.setdefault(org.code.lower(), []).append(org)

    def row(self, number: int, record: dict) -> None:
        self.report.rows += 1
        errors: dict[str, str] = {}
        values = self._parse(record, errors)
        id_number = values.get("id_number", "")
        if id_number and id_number in self.seen:
            errors["id_number"] = _("The same ID number is on row %(row)s.") % {
                "row": self.seen[id_number]
            }
        if not errors:
            self.seen[id_number] = number
            self._save(values, errors)
        for field_name, message in errors.items():
            self.report.add_error(number, field_name, message)

    def _save(self, values: dict, errors: dict) -> None:
        member = Member.objects.filter(id_number=values.get("id_number") or "-").first()
        if member is not None:
            for key in ("name", "id_number", "phone"):
                values.pop(key, None)
            values["member"] = member
            profile = TalentProfile.objects.filter(member=member).first()
        else:
            profile = TalentProfile.objects.filter(id_number=values.get("id_number") or "-").first()
        try:
            with transaction.atomic():
                self._apply(profile, values)
        except ValidationError as exc:
            errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})

    def _apply(self, profile: TalentProfile | None, values: dict) -> None:
        if profile is None:
            services.profile_create(**values)
            self.report.new += 1
        elif services.profile_update(profile=profile, **values):
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    def _parse(self, record: dict, errors: dict) -> dict:
        values = {}
        for name, raw in record.items():
            try:
                values[name] = self._cell(name, raw)
            except ValidationError as exc:
                errors[name] = " ".join(exc.messages)
        if "hometown_village" in record and "hometown_village" not in errors:
            try:
                values["hometown_village"] = self._village(record["hometown_village"], values)
            except ValidationError as exc:
                errors["hometown_village"] = " ".join(exc.messages)
        return values

    def _cell(self, name: str, raw):
        text = cell_text(raw)
        if name == "id_number":
            return cell_id_number(raw)
        if name == "phone":
            return phone_normalize(text)
        if name == "hometown_township":
            return self._township(text)
        if name == "hometown_village":
            return None  # looked up once the township is known
        parsers = {
            "industry": parse_industry,
            "willingness": lambda r: parse_willingness(r) or Willingness.UNKNOWN,
            "education": _education,
            "skills": lambda r: sorted(set(_split(r))),
            "roles": lambda r: sorted({parse_role(word) for word in _split(r)}),
            "venture_employees": _count,
        }
        return parsers[name](raw) if name in parsers else text

    def _township(self, text: str) -> Organization | None:
        if not text:
            return None
        township = self.townships.get(text) or self.townships.get(text.lower())
        if township is None:
            raise ValidationError(_("No township of the county has this name or code."))
        return township

    def _village(self, raw, values: dict) -> Organization | None:
        text = cell_text(raw)
        if not text:
            return None
        candidates = self.villages.get(text) or self.villages.get(text.lower()) or []
        township = values.get("hometown_township")
        if township is not None:
            candidates = [v for v in candidates if v.path.startswith(township.path)]
        if len(candidates) != 1:
            raise ValidationError(
                _("No single village of that township has this name or code.")
                if candidates == []
                else _("Several villages have this name: write the township too, or the code.")
            )
        return candidates[0]


def _split(raw) -> list[str]:
    return [word for word in LIST_SEPARATORS.split(cell_text(raw)) if word]


def _education(raw) -> int | None:
    text = cell_text(raw)
    if not text:
        return None
    if text in EDUCATION_WORDS:
        return EDUCATION_WORDS[text]
    raise ValidationError(_("Write the education as 初中及以下, 高中/中专, 大专, 本科 or 研究生."))


def _count(raw) -> int:
    text = cell_text(raw)
    if not text:
        return 0
    if not text.isdigit():
        raise ValidationError(_("Write a whole number of people."))
    return int(text)
