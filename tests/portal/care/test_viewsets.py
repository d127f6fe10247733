"""Care in the admin, per role: liaison pairings, talks and the members due one, the care
ledger. Transfers are tested in test_transfers.py."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.care import services as care
from portal.models import CareCase, CareVisit, Liaison, Role, Talk
from portal.registry.factories import UserFactory


def today():
    """Today in Shanghai, read when the test runs (not at import, which may be before midnight)."""
    return timezone.localdate()


@pytest.fixture
def people(tree, members, user_with_role):
    """The secretary of township A (keeps A1, A2), of township B (keeps B1), a liaison of A1
    and the member A1, with a login each."""
    members.a1.user = UserFactory(username=members.a1.phone)
    members.a1.save()
    secretary_a = user_with_role(Role.ORG_ADMIN, tree.township_a, "secretary_a")
    liaison = user_with_role(Role.MEMBER, tree.village_a1, "liaison_a")
    care.liaison_pair(
        liaison=liaison, member=members.a1, organization=tree.township_a, started_on=today()
    )
    return SimpleNamespace(
        secretary_a=secretary_a,
        secretary_b=user_with_role(Role.ORG_ADMIN, tree.township_b, "secretary_b"),
        liaison=liaison,
        member=members.a1.user,
    )


@pytest.fixture
def case(members, people):
    return care.care_case_open(
        member=members.a1,
        hardship="illness",
        description="住院",
        opened_on=today(),
        opened_by=people.secretary_a,
    )


def listed(client, url_name):
    return list(client.get(reverse(url_name)).context["object_list"])


# --- Liaison pairings -----------------------------------------------------------------------


def test_the_secretary_pairs_a_liaison_and_lists_the_pairing_with_a_masked_phone(
    client, tree, members, people
):
    client.force_login(people.secretary_a)
    response = client.post(
        reverse("portal_liaison:add"),
        {
            "liaison": people.liaison.pk,
            "member": members.a2.pk,
            "organization": tree.township_a.pk,
            "started_on": today(),
        },
    )
    assert response.status_code == 302
    assert Liaison.objects.filter(member=members.a2, liaison=people.liaison).exists()
    body = client.get(reverse("portal_liaison:index")).content.decode()
    assert members.a2.masked_phone in body
    assert members.a2.phone not in body


def test_pairing_a_member_who_has_a_liaison_names_the_member_field(client, tree, members, people):
    client.force_login(people.secretary_a)
    response = client.post(
        reverse("portal_liaison:add"),
        {
            "liaison": people.secretary_a.pk,
            "member": members.a1.pk,
            "organization": tree.township_a.pk,
            "started_on": today(),
        },
    )
    assert response.status_code == 200
    assert "member" in response.context["form"].errors
    assert Liaison.objects.filter(member=members.a1).count() == 1


def test_a_secretary_cannot_pair_a_member_they_do_not_keep(client, tree, members, people):
    client.force_login(people.secretary_a)
    response = client.post(
        reverse("portal_liaison:add"),
        {
            "liaison": people.liaison.pk,
            "member": members.b1.pk,
            "organization": tree.township_a.pk,
            "started_on": today(),
        },
    )
    assert response.status_code == 200
    assert "member" in response.context["form"].errors
    assert not Liaison.objects.filter(member=members.b1).exists()


def test_the_secretary_ends_a_pairing_and_it_stays_listed(client, members, people):
    pairing = Liaison.objects.get(member=members.a1)
    client.force_login(people.secretary_a)
    response = client.post(reverse("portal_liaison:end", args=[pairing.pk]), {"ended_on": today()})
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert pairing.ended_on == today()
    assert pairing in listed(client, "portal_liaison:index")


def test_another_townships_secretary_neither_sees_nor_ends_the_pairing(client, members, people):
    pairing = Liaison.objects.get(member=members.a1)
    client.force_login(people.secretary_b)
    assert pairing not in listed(client, "portal_liaison:index")
    response = client.post(reverse("portal_liaison:end", args=[pairing.pk]), {"ended_on": today()})
    assert response.status_code == 404
    pairing.refresh_from_db()
    assert pairing.ended_on is None


# --- Talks and the members due one --------------------------------------------------------


def test_the_secretary_records_a_talk_in_the_admin(client, members, people):
    client.force_login(people.secretary_a)
    url = reverse("portal_talk:add") + f"?member={members.a2.pk}"
    assert client.get(url).context["form"].initial["member"] == members.a2
    response = client.post(
        url, {"member": members.a2.pk, "held_on": today(), "way": "phone", "summary": "谈心"}
    )
    assert response.status_code == 302
    assert Talk.objects.get().talked_by == people.secretary_a
    members.a2.refresh_from_db()
    assert members.a2.last_contact_on == today()


def test_a_secretary_cannot_record_a_talk_with_a_member_they_do_not_keep(client, members, people):
    client.force_login(people.secretary_b)
    response = client.post(
        reverse("portal_talk:add"),
        {"member": members.a1.pk, "held_on": today(), "way": "phone", "summary": "x"},
    )
    assert "member" in response.context["form"].errors
    assert not Talk.objects.exists()


def test_the_due_list_is_the_secretarys_own_with_the_liaison_and_a_masked_phone(
    client, members, people
):
    care.talk_record(
        member=members.a2, talked_by=people.secretary_a, held_on=today(), way="phone", summary="好"
    )
    client.force_login(people.secretary_a)
    response = client.get(reverse("portal_talk:due"))
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert [member.pk for member in rows] == [members.a1.pk]
    assert rows[0].liaison_username == "liaison_a"
    body = response.content.decode()
    assert members.a1.masked_phone in body and members.a1.phone not in body
    assert members.b1.name not in body


def test_talks_are_listed_only_for_the_members_kept(client, members, people):
    care.talk_record(
        member=members.a1, talked_by=people.liaison, held_on=today(), way="phone", summary="a"
    )
    care.talk_record(
        member=members.b1, talked_by=people.secretary_b, held_on=today(), way="phone", summary="b"
    )
    client.force_login(people.secretary_a)
    assert [talk.member for talk in listed(client, "portal_talk:index")] == [members.a1]
    other = Talk.objects.get(member=members.b1)
    assert client.get(reverse("portal_talk:inspect", args=[other.pk])).status_code == 404


# --- The care ledger ------------------------------------------------------------------------


def test_the_secretary_opens_a_case_records_a_visit_and_closes_it(client, members, people):
    client.force_login(people.secretary_a)
    response = client.post(
        reverse("portal_care_case:add"),
        {
            "member": members.a2.pk,
            "hardship": "income",
            "description": "失业",
            "opened_on": today(),
        },
    )
    assert response.status_code == 302
    case = CareCase.objects.get(member=members.a2)
    response = client.post(
        reverse("portal_care_case:visit", args=[case.pk]),
        {"visited_on": today(), "visitors": "书记", "help_given": "慰问", "amount": "300"},
    )
    assert response.status_code == 302
    assert CareVisit.objects.get(case=case).recorded_by == people.secretary_a
    page = client.get(reverse("portal_care_case:inspect", args=[case.pk]))
    assert list(page.context["visits"]) == [CareVisit.objects.get(case=case)]
    response = client.post(
        reverse("portal_care_case:close", args=[case.pk]), {"closed_on": today()}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.closed_on == today()


def test_a_bad_visit_names_its_field_and_saves_nothing(client, case, people):
    client.force_login(people.secretary_a)
    response = client.post(
        reverse("portal_care_case:visit", args=[case.pk]),
        {"visited_on": today(), "visitors": "书记", "help_given": "慰问", "amount": "-3"},
    )
    assert response.status_code == 200
    assert "amount" in response.context["form"].errors
    assert not CareVisit.objects.exists()


def test_the_open_and_closed_filter(client, case, members, people):
    closed = care.care_case_open(
        member=members.a2,
        hardship="family",
        description="x",
        opened_on=today() - datetime.timedelta(days=3),
        opened_by=people.secretary_a,
    )
    care.care_case_close(case=closed, closed_on=today())
    client.force_login(people.secretary_a)
    url = reverse("portal_care_case:index")
    assert list(client.get(url, {"open": "true"}).context["object_list"]) == [case]
    assert list(client.get(url, {"open": "false"}).context["object_list"]) == [closed]


def test_another_townships_secretary_does_not_see_or_change_the_case(client, case, people):
    client.force_login(people.secretary_b)
    assert case not in listed(client, "portal_care_case:index")
    for name in ("inspect", "visit", "close"):
        assert client.get(reverse(f"portal_care_case:{name}", args=[case.pk])).status_code == 404
    response = client.post(
        reverse("portal_care_case:close", args=[case.pk]), {"closed_on": today()}
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.closed_on is None


@pytest.mark.parametrize("who", ["liaison", "member"])
def test_a_liaison_or_a_member_has_no_care_admin(client, case, members, people, who):
    """Neither reaches the admin: the care ledger, pairings, talks and the due list are the
    secretaries'."""
    client.force_login(getattr(people, who))
    urls = [
        reverse("portal_care_case:index"),
        reverse("portal_care_case:inspect", args=[case.pk]),
        reverse("portal_care_case:close", args=[case.pk]),
        reverse("portal_liaison:index"),
        reverse("portal_talk:due"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert members.a1.phone not in response.content.decode()
    client.post(reverse("portal_care_case:close", args=[case.pk]), {"closed_on": today()})
    case.refresh_from_db()
    assert case.closed_on is None


def test_anonymous_is_sent_to_log_in(client, case):
    response = client.get(reverse("portal_care_case:inspect", args=[case.pk]))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_the_member_chooser_offers_only_the_members_kept_and_searches_by_name(
    client, members, people
):
    client.force_login(people.secretary_a)
    response = client.get(reverse("portal_care_member_chooser:choose"))
    assert response.status_code == 200
    body = response.json()["html"]  # the chooser modal is JSON
    assert members.a1.name in body and members.a2.name in body
    assert members.b1.name not in body and members.a1.phone not in body
    results = client.get(
        reverse("portal_care_member_chooser:choose_results"), {"q": members.a2.name}
    )
    assert members.a2.name in results.content.decode()
    assert members.a1.name not in results.content.decode()
    chosen = reverse("portal_care_member_chooser:chosen", args=[members.b1.pk])
    assert client.get(chosen).status_code == 404
