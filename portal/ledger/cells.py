"""Cells of a ledger file as Python values: the words, number and date forms organisations
write. Each parser raises ValidationError with what the user should fix, and never echoes an
ID or phone number."""

import datetime
import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.registry.identity import id_number_normalize

# The file format's words for the choices (what organisations write), beside our own labels.
GENDER_WORDS = {"男": "male", "女": "female", "m": "male", "f": "female"}
STATUS_WORDS = {
    "流动": "floating",
    "流动中": "floating",
    "外出": "floating",
    "返乡": "returned",
    "已返乡": "returned",
    "回乡": "returned",
    "未流动": "local",
    "不流动": "local",
    "在家": "local",
}
DATE_PATTERN = re.compile(r"^(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?$")
COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def cell_text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, datetime.datetime | datetime.date):
        return raw.isoformat()
    return str(raw).strip()


def id_number_key(raw) -> str:
    return id_number_normalize(cell_text(raw).replace(" ", ""))


def cell_id_number(raw) -> str:
    if isinstance(raw, float):
        # Excel keeps 15 significant digits: an 18-digit number stored as a number is lost.
        raise ValidationError(_("The ID number was stored as a number; format the column as text."))
    return id_number_key(raw)


def cell_date(raw) -> datetime.date | None:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = cell_text(raw)
    if not text:
        return None
    match = DATE_PATTERN.match(text) or COMPACT_DATE.match(text)
    try:
        if match:
            year, month, day = match.groups()
            return datetime.date(int(year), int(month), int(day or 1))
    except ValueError:
        pass
    raise ValidationError(_("Write the date as 2020-03-01 (or 2020-03 for a month)."))


def cell_choice(words: dict, choices) -> Callable:
    """A parser for a choice field: the file format's words, the stored values, or the labels
    in the active language (looked up once per language, not once per cell)."""
    known_by_language: dict[str, dict] = {}

    def known() -> dict:
        language = get_language() or ""
        if language not in known_by_language:
            table = {**words, **{value: value for value in choices.values}}
            table.update({str(label).lower(): value for value, label in choices.choices})
            known_by_language[language] = table
        return known_by_language[language]

    def parse(raw) -> str:
        text = cell_text(raw).lower()
        if not text:
            return ""
        if text not in known():
            raise ValidationError(
                _("“%(value)s” is not one of the allowed values.") % {"value": text}
            )
        return known()[text]

    return parse


def cell_plain(raw) -> str:
    return cell_text(raw)
