"""The activation page holds back a client that guesses codes (429, in Chinese), per address
and per address and phone, without locking the member out for everyone else."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.translation import gettext

from portal.models import ActivationCode
from portal.registry import services
from portal.registry.factories import MemberFactory

NEW_PASSWORD = "Kx7#river-2026"
STRANGER = "203.0.113.9"
MEMBER_ADDRESS = "198.51.100.20"


@pytest.fixture
def member(tree):
    return MemberFactory(name="龙建华", origin=tree.village_a1, phone="13900000001")


@pytest.fixture
def code(member, org_admin_a):
    return services.member_account_issue(member=member, issued_by=org_admin_a)


def _activate(client, phone, code, address):
    data = {
        "phone": phone,
        "code": code,
        "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD,
    }
    return client.post(reverse("portal:activate"), data, REMOTE_ADDR=address)


@override_settings(ACTIVATION_FAILURES_PER_PHONE=3)
def test_a_stranger_is_held_back_and_the_member_still_activates(client, member, code):
    for _attempt in range(3):
        assert _activate(client, member.phone, "WRONG234", STRANGER).status_code == 200
    held = _activate(client, member.phone, code, STRANGER)
    assert held.status_code == 429
    assert gettext("Too many wrong activation codes") in held.content.decode()  # 激活码错误次数过多
    assert ActivationCode.objects.get().used_at is None  # not even the right code, from there

    response = _activate(client, member.phone, code, MEMBER_ADDRESS)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.user.check_password(NEW_PASSWORD)


@override_settings(ACTIVATION_FAILURES_PER_ADDRESS=4, ACTIVATION_FAILURES_PER_PHONE=100)
def test_an_address_trying_many_phones_is_held_back(client, tree):
    phones = [f"1390000010{digit}" for digit in range(5)]
    answers = [_activate(client, phone, "WRONG234", STRANGER).status_code for phone in phones]
    assert answers == [200, 200, 200, 200, 429]
    assert _activate(client, phones[0], "WRONG234", MEMBER_ADDRESS).status_code == 200


@override_settings(ACTIVATION_FAILURES_PER_PHONE=2)
def test_bad_passwords_are_not_counted_as_guesses(client, member, code):
    """Only a wrong code counts: a member retrying a weak password is not held back."""
    for _attempt in range(3):
        data = {"phone": member.phone, "code": code, "password": "1", "password_again": "1"}
        response = client.post(reverse("portal:activate"), data, REMOTE_ADDR=MEMBER_ADDRESS)
        assert response.status_code == 200
    assert _activate(client, member.phone, code, MEMBER_ADDRESS).status_code == 302
