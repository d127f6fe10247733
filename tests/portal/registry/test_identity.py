import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.registry.factories import make_id_number
from portal.registry.identity import (
    id_number_check_char,
    id_number_parse,
    mask_id_number,
    mask_phone,
    validate_phone,
)

# A published sample number from GB 11643-1999's explanatory material.
SAMPLE_ID = "11010519491231002X"


def test_parse_reads_birth_date_and_gender():
    facts = id_number_parse(SAMPLE_ID)
    assert facts.birth_date == datetime.date(1949, 12, 31)
    assert facts.gender == "female"


def test_check_character_follows_iso_7064():
    assert id_number_check_char(SAMPLE_ID[:17]) == "X"


def test_lowercase_x_is_accepted():
    assert id_number_parse(SAMPLE_ID.lower()).gender == "female"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1101051949123100", "id_format"),  # too short
        ("11010519491231002Y", "id_format"),
        ("99010519491231002X", "id_region"),
        ("110105194902300028", "id_date"),  # 30 February
        ("110105219901010028", "id_date"),  # far future
        ("110105194912310021", "id_checksum"),
    ],
)
def test_bad_id_numbers_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as caught:
        id_number_parse(value)
    assert caught.value.code == code


def test_errors_are_in_chinese_and_name_the_field():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        id_number_parse("110105194912310021")
    assert "身份证号" in caught.value.messages[0]


@pytest.mark.parametrize("value", ["13812345678", "199 1234 5678", "+8615012345678"])
def test_mainland_mobiles_pass(value):
    validate_phone(value)


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "023-6123456", "abc"])
def test_other_phone_numbers_fail_in_chinese(value):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_phone(value)
    assert "手机号" in caught.value.messages[0]


def test_masks_keep_only_what_tells_records_apart():
    assert mask_id_number(SAMPLE_ID) == "110105********002X"
    assert mask_phone("13812345678") == "138****5678"


def test_test_factory_numbers_are_valid_and_distinct():
    numbers = {make_id_number(n) for n in range(2000)}
    assert len(numbers) == 2000
    for number in list(numbers)[:50]:
        id_number_parse(number)
