"""The talent profile's invariants: identity, hometown, roles and the pool."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from learning.models import Grade
from talent.models import BaseSearch, CommitteeRole, Education, TalentProfile
from talent.services import profile_create

ID_NUMBER = "11010519491231002X"


def test_a_non_member_profile_takes_birth_date_and_gender_from_the_id_number(tree):
    """Staff enter a non-member by name and ID number; the rest comes from the number."""
    profile = profile_create(name="王建国", id_number=ID_NUMBER.lower(), phone="139 0000 0001")
    assert profile.id_number == ID_NUMBER
    assert profile.birth_date == datetime.date(1949, 12, 31)
    assert profile.gender == "female"
    assert profile.phone == "13900000001"
    assert profile.masked_phone == "139****0001"
    assert profile.masked_id_number == "110105********002X"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "王", "id_number": "110105194912310021"}, "id_number"),
        ({"name": "王", "phone": "12345"}, "phone"),
        ({"name": ""}, "name"),
        ({"name": "王", "roles": ["king"]}, "roles"),
        ({"name": "王", "education": 9}, "education"),
    ],
)
def test_bad_input_is_refused_naming_the_field(tree, fields, field):
    """Nothing is saved, and the error names the field at fault."""
    with pytest.raises(ValidationError) as error:
        profile_create(**fields)
    assert field in error.value.message_dict
    assert not TalentProfile.objects.exists()


def test_an_id_number_is_in_the_pool_once(tree):
    """Two profiles cannot share an ID number; blank numbers do not collide."""
    profile_create(name="甲", id_number=ID_NUMBER)
    profile_create(name="乙")
    profile_create(name="丙")
    with pytest.raises(ValidationError) as error:
        profile_create(name="丁", id_number=ID_NUMBER)
    assert "id_number" in error.value.message_dict


def test_the_village_must_lie_in_the_township(tree):
    """A hometown village from another township is refused on the village field."""
    with pytest.raises(ValidationError) as error:
        profile_create(
            name="甲", hometown_township=tree.township_a, hometown_village=tree.village_b1
        )
    assert "hometown_village" in error.value.message_dict
    profile = profile_create(
        name="甲",
        hometown_township=tree.township_a,
        hometown_village=tree.village_a1,
        roles=[CommitteeRole.SECRETARY, CommitteeRole.RESERVE],
        education=Education.BACHELOR,
        skills=["电商", "养殖"],
    )
    assert sorted(profile.skills.names()) == ["养殖", "电商"]


def test_a_member_profile_keeps_identity_on_the_member_record(tree, members):
    """A member's ID number and phone are not typed again on the profile."""
    with pytest.raises(ValidationError) as error:
        profile_create(member=members.a1, phone="13900000009")
    assert "member" in error.value.message_dict
    profile = profile_create(member=members.a1)
    assert profile.display_name == members.a1.name
    assert profile.masked_phone == members.a1.masked_phone


def test_a_base_search_lists_the_grades_at_least_its_minimum(db):
    """ "At least qualified" lets excellent and qualified through, not the lower grades."""
    rule = BaseSearch(name="两委基本条件", min_grade=Grade.QUALIFIED)
    rule.full_clean()
    assert rule.grades_allowed() == [Grade.EXCELLENT, Grade.QUALIFIED]
    rule.filters = ["not", "an", "object"]
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "filters" in error.value.message_dict
