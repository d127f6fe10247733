"""Personal identifiers: the resident ID number (身份证号) and the mainland mobile number.

Validation follows GB 11643-1999: 6 digits of region, 8 of birth date, 3 of sequence (odd
for men, even for women) and a check character computed with ISO 7064 MOD 11-2.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
# Province-level codes in use (the first two digits).
PROVINCE_CODES = frozenset(
    """
    11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46
    50 51 52 53 54 61 62 63 64 65 71 81 82
    """.split()
)
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
PHONE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


@dataclass(frozen=True)
class IdNumberFacts:
    birth_date: datetime.date
    gender: str  # "male" or "female", as Member.Gender


def id_number_check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def id_number_normalize(value: str) -> str:
    return (value or "").strip().upper()


def id_number_parse(value: str) -> IdNumberFacts:
    """Return what an ID number says about its holder, or raise ValidationError."""
    value = id_number_normalize(value)
    if not ID_PATTERN.match(value):
        raise ValidationError(
            _("The ID number must be 18 characters: 17 digits and then a digit or X."),
            code="id_format",
        )
    if value[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("The ID number starts with an unknown region code."), code="id_region"
        )
    try:
        birth_date = datetime.datetime.strptime(value[6:14], "%Y%m%d").date()
    except ValueError:
        raise ValidationError(
            _("The ID number contains an impossible birth date."), code="id_date"
        ) from None
    if birth_date.year < 1900 or birth_date > datetime.date.today():
        raise ValidationError(_("The ID number contains an impossible birth date."), code="id_date")
    if id_number_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("The ID number has a wrong check character: it was mistyped."), code="id_checksum"
        )
    gender = "male" if int(value[16]) % 2 else "female"
    return IdNumberFacts(birth_date=birth_date, gender=gender)


def validate_id_number(value: str) -> None:
    id_number_parse(value)


def phone_normalize(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    return digits


def validate_phone(value: str) -> None:
    if not PHONE_PATTERN.match(phone_normalize(value)):
        raise ValidationError(
            _("The phone number must be an 11-digit mainland mobile number from 13 to 19."),
            code="phone_format",
        )


def mask_id_number(value: str) -> str:
    """Keep the region (6) and the last 4 characters: enough to tell two records apart."""
    if len(value or "") < 10:
        return "*" * len(value or "")
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_phone(value: str) -> str:
    if len(value or "") < 7:
        return "*" * len(value or "")
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def mask_login(username: str) -> str:
    """A login as others may see it: a member's login is their phone number, masked."""
    if PHONE_PATTERN.match(username or ""):
        return mask_phone(username)
    return username


def mask_name(name: str) -> str:
    """Keep the surname and, for three characters or more, the last character: 龙*华, 王*."""
    name = (name or "").strip()
    if len(name) <= 2:
        return name[:1] + "*" * (len(name) - 1)
    return name[0] + "*" * (len(name) - 2) + name[-1]
