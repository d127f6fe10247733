"""The liaison's phone pages: my members and recording a talk, per role."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.care import selectors as care_selectors
from portal.care import services as care
from portal.models import Role, Talk
from portal.registry.factories import UserFactory


def today():
    """Today in Shanghai, read when the test runs (not at import, which may be before midnight)."""
    return timezone.localdate()


@pytest.fixture
def liaison(tree, members):
    """A liaison paired with the members of A1 and A2; another liaison with B1's."""
    user = UserFactory(username="liaison_a")
    for member in (members.a1, members.a2):
        care.liaison_pair(
            liaison=user, member=member, organization=tree.township_a, started_on=today()
        )
    return user


@pytest.fixture
def other_liaison(tree, members):
    user = UserFactory(username="liaison_b")
    care.liaison_pair(
        liaison=user, member=members.b1, organization=tree.township_b, started_on=today()
    )
    return user


def test_the_liaison_sees_their_members_with_full_phones_and_last_talk(
    client, members, liaison, other_liaison
):
    """Full phone numbers for the liaison to call; nobody else's member is listed."""
    care.talk_record(
        member=members.a1, talked_by=liaison, held_on=today(), way="phone", summary="好"
    )
    client.force_login(liaison)
    response = client.get(reverse("care_members"))
    assert response.status_code == 200
    listed = {member.pk: member for member in response.context["members"]}
    assert set(listed) == {members.a1.pk, members.a2.pk}
    body = response.content.decode()
    assert f'href="tel:{members.a1.phone}"' in body
    assert members.b1.phone not in body and members.b1.name not in body
    assert listed[members.a1.pk].last_talk_on == today()
    assert [member.pk for member in response.context["due"]] == [members.a2.pk]


def test_the_me_tab_links_a_liaison_to_their_members(client, liaison, members):
    client.force_login(liaison)
    body = client.get(reverse("me")).content.decode()
    assert f'href="{reverse("care_members")}"' in body


def test_the_liaison_records_a_talk_which_counts_as_contact(client, members, liaison):
    client.force_login(liaison)
    url = reverse("care_talk", args=[members.a2.pk])
    assert client.get(url).status_code == 200
    held_on = today() - datetime.timedelta(days=2)
    response = client.post(url, {"held_on": held_on, "way": "in_person", "summary": "谈工作"})
    assert response.status_code == 302
    talk = Talk.objects.get(member=members.a2)
    assert (talk.talked_by, talk.held_on) == (liaison, held_on)
    members.a2.refresh_from_db()
    assert members.a2.last_contact_on == held_on


def test_a_talk_form_with_errors_names_the_field_and_saves_nothing(client, members, liaison):
    client.force_login(liaison)
    url = reverse("care_talk", args=[members.a2.pk])
    future = today() + datetime.timedelta(days=3)
    response = client.post(url, {"held_on": future, "way": "phone", "summary": "x"})
    assert response.status_code == 200
    assert "held_on" in response.context["form"].errors
    response = client.post(url, {"held_on": today(), "way": "phone", "summary": ""})
    assert "summary" in response.context["form"].errors
    assert not Talk.objects.exists()


def test_another_liaisons_member_is_a_404(client, members, liaison, other_liaison):
    client.force_login(other_liaison)
    url = reverse("care_talk", args=[members.a1.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"held_on": today(), "way": "phone", "summary": "x"}).status_code == 404
    assert not Talk.objects.exists()


def test_an_ended_pairing_takes_the_member_off_the_page(client, members, liaison):
    pairing = liaison.liaison_pairings.get(member=members.a1)
    care.liaison_end(pairing=pairing, ended_on=today())
    client.force_login(liaison)
    listed = [member.pk for member in client.get(reverse("care_members")).context["members"]]
    assert listed == [members.a2.pk]
    assert client.get(reverse("care_talk", args=[members.a1.pk])).status_code == 404


@pytest.mark.parametrize("who", ["member", "secretary"])
def test_a_member_or_a_secretary_without_pairings_is_refused(
    client, tree, members, liaison, user_with_role, who
):
    """The pages are a liaison's; a member or an org admin who is nobody's liaison gets 403,
    and no member's phone."""
    if who == "member":
        user = UserFactory(username=members.a1.phone)
        members.a1.user = user
        members.a1.save()
    else:
        user = user_with_role(Role.ORG_ADMIN, tree.township_a)
    client.force_login(user)
    assert client.get(reverse("care_members")).status_code == 403
    assert client.get(reverse("care_talk", args=[members.a2.pk])).status_code == 403
    assert not care_selectors.is_liaison(user)


def test_anonymous_is_sent_to_log_in(client, members, liaison):
    for url in (reverse("care_members"), reverse("care_talk", args=[members.a1.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("portal:login") in response["Location"]
