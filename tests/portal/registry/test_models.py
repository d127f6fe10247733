import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from portal.models import Member, Organization
from portal.registry import services
from portal.registry.factories import MemberFactory, OrganizationFactory, make_id_number

Level, Kind = Organization.Level, Organization.Kind


def test_subtree_contains_descendants_and_nothing_beside(tree):
    within_a = set(Organization.objects.within([tree.township_a]))
    assert within_a == {tree.township_a, tree.village_a1, tree.village_a2}


def test_home_and_host_sides_are_told_apart(tree):
    assert set(Organization.objects.host_side()) == {tree.centre, tree.host_branch}
    assert tree.village_b1 in Organization.objects.home_side()
    assert tree.host_branch.is_host and not tree.county.is_host


@pytest.mark.parametrize(
    ("parent_code", "level"),
    [
        ("A1", Level.TOWNSHIP),  # a township under a village
        ("H", Level.VILLAGE),  # a village under a host-city centre
        ("C", Level.HOST_UNIT),  # a temporary branch straight under the county
    ],
)
def test_tree_refuses_a_level_in_the_wrong_place(tree, parent_code, level):
    parent = Organization.objects.get(code=parent_code)
    with pytest.raises(ValidationError) as caught:
        OrganizationFactory(
            parent=parent, level=level, city="深圳" if level.startswith("host") else ""
        )
    assert "level" in caught.value.message_dict


def test_only_a_county_is_a_root(db):
    with pytest.raises(ValidationError):
        OrganizationFactory(level=Level.TOWNSHIP)


def test_host_side_needs_its_city(tree):
    with pytest.raises(ValidationError) as caught:
        OrganizationFactory(parent=tree.centre, level=Level.HOST_UNIT, city="")
    assert "city" in caught.value.message_dict


def test_pairing_joins_home_to_host_once(tree):
    services.pairing_create(
        origin=tree.township_a, host=tree.host_branch, signed_on=datetime.date(2021, 3, 1)
    )
    with pytest.raises(ValidationError):
        services.pairing_create(
            origin=tree.township_a, host=tree.host_branch, signed_on=datetime.date(2022, 1, 1)
        )
    with pytest.raises(ValidationError) as caught:
        services.pairing_create(
            origin=tree.host_branch, host=tree.township_b, signed_on=datetime.date(2022, 1, 1)
        )
    assert set(caught.value.message_dict) == {"origin", "host"}


def test_member_takes_gender_and_birth_date_from_the_id_number(tree):
    member = MemberFactory(origin=tree.village_a1, id_number=make_id_number(3, male=False))
    assert member.gender == Member.Gender.FEMALE
    assert member.birth_date == datetime.date(1985, 6, 15)


def test_member_contradicting_the_id_number_is_refused(tree):
    with pytest.raises(ValidationError) as caught:
        MemberFactory(
            origin=tree.village_a1,
            id_number=make_id_number(1),
            gender="female",
            birth_date=datetime.date(1990, 1, 1),
        )
    assert {"gender", "birth_date"} <= set(caught.value.message_dict)
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"joined_party_on": datetime.date(1995, 1, 1)}, "joined_party_on"),  # aged 9
        ({"floating_since": None}, "floating_since"),
        ({"phone": "12345"}, "phone"),
        ({"id_number": "430124198506150011"}, "id_number"),
    ],
)
def test_member_with_bad_fields_is_refused_naming_the_field(tree, fields, field):
    with pytest.raises(ValidationError) as caught:
        MemberFactory(origin=tree.village_a1, **fields)
    assert field in caught.value.message_dict
    assert not Member.objects.exists()


def test_member_origin_is_home_side_and_host_is_host_side(tree):
    with pytest.raises(ValidationError) as caught:
        MemberFactory(origin=tree.host_branch, host=tree.village_a1)
    assert {"origin", "host"} <= set(caught.value.message_dict)


def test_id_number_and_phone_are_unique_in_the_database(tree):
    member = MemberFactory(origin=tree.village_a1)
    duplicate = Member(
        name="重复",
        gender=member.gender,
        birth_date=member.birth_date,
        id_number=member.id_number,
        phone="13999999999",
        joined_party_on=member.joined_party_on,
        origin=tree.village_a2,
    )
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_member_lists_show_masked_numbers(tree):
    member = MemberFactory(origin=tree.village_a1, phone="13812345678")
    assert member.masked_phone == "138****5678"
    assert member.masked_id_number.count("*") == 8
