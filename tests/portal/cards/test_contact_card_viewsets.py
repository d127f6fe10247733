"""Contact cards in the admin, per role: the host admin of the member's host branch, the origin
admin, an unrelated admin, the member, and anonymous."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.cards import services as cards
from portal.models import ContactActivity
from portal.registry.factories import MemberFactory
from tests.portal.cards.helpers import login_as, refused


def last_year():
    """Last year, read when the test runs (not at import, which may be before a new year)."""
    return timezone.localdate().year - 1


@pytest.fixture
def card(members, people):
    card = cards.contact_card_open(member=members.b1, year=last_year())
    cards.contact_activity_record(
        card=card,
        kind="meetings",
        held_on=datetime.date(last_year(), 2, 9),
        description="党员大会",
        user=people["host"],
    )
    return card


@pytest.mark.parametrize(
    ("who", "status", "keeps"),
    [("host", 200, True), ("origin", 200, False), ("unrelated", 404, False)],
)
def test_card_page_per_admin(client, people, card, who, status, keeps):
    """The host side keeps it, the origin side reads it, an unrelated admin gets 404."""
    response = login_as(client, people, who).get(
        reverse("portal_contact_card:card", args=[card.pk])
    )
    assert response.status_code == status
    if status == 200:
        assert response.context["keeps"] is keeps
    listing = client.get(reverse("portal_contact_card:index"))
    assert (card in listing.context["object_list"]) is (status == 200)


@pytest.mark.parametrize("who", ["member", "anonymous"])
def test_card_admin_refuses_members_and_anonymous(client, people, card, who):
    login_as(client, people, who)
    assert refused(client.get(reverse("portal_contact_card:index")).status_code)
    assert refused(client.get(reverse("portal_contact_card:card", args=[card.pk])).status_code)


def test_host_admin_records_countersigns_and_attests(client, people, card):
    client.force_login(people["host"])
    url = reverse("portal_contact_card:card", args=[card.pk])
    response = client.post(
        url,
        {
            "kind": "volunteer",
            "held_on": f"{last_year()}-06-01",
            "description": "义务植树",
            "volunteer_hours": "2.5",
            "countersign": "on",
        },
    )
    assert response.status_code == 302
    assert card.activities.filter(countersigned_at__isnull=False).count() == 1
    pending = card.activities.get(countersigned_at__isnull=True)
    client.post(reverse("portal_contact_card:countersign", args=[card.pk, pending.pk]))
    pending.refresh_from_db()
    assert pending.countersigned_by == people["host"]
    client.post(reverse("portal_contact_card:attest", args=[card.pk]))
    card.refresh_from_db()
    assert card.attestation["total"] == 2
    assert card.attestation["volunteer_hours"] == "2.5"
    printed = client.get(reverse("portal_contact_card:attestation", args=[card.pk]))
    assert printed.status_code == 200


def test_host_admin_removes_a_proposal(client, people, card):
    client.force_login(people["host"])
    pending = card.activities.get()
    client.post(reverse("portal_contact_card:reject", args=[card.pk, pending.pk]))
    assert not ContactActivity.objects.exists()


def test_bad_record_names_the_field_and_writes_nothing(client, people, card):
    client.force_login(people["host"])
    response = client.post(
        reverse("portal_contact_card:card", args=[card.pk]),
        {"kind": "meetings", "held_on": f"{last_year() - 1}-06-01", "description": "会"},
    )
    assert response.status_code == 200
    assert "held_on" in response.context["form"].errors
    assert card.activities.count() == 1


@pytest.mark.parametrize("who", ["origin", "unrelated"])
def test_only_the_host_side_changes_a_card(client, people, card, who):
    """The origin side reads (its writes are refused); an unrelated admin gets 404."""
    client.force_login(people[who])
    pending = card.activities.get()
    record = client.post(
        reverse("portal_contact_card:card", args=[card.pk]),
        {"kind": "meetings", "held_on": f"{last_year()}-06-01", "description": "会"},
    )
    # Wagtail answers a refusal inside the admin with a redirect to its dashboard.
    assert record.status_code == (302 if who == "origin" else 404)
    for url in (
        reverse("portal_contact_card:countersign", args=[card.pk, pending.pk]),
        reverse("portal_contact_card:reject", args=[card.pk, pending.pk]),
        reverse("portal_contact_card:attest", args=[card.pk]),
    ):
        assert client.post(url).status_code == 404
    pending.refresh_from_db()
    card.refresh_from_db()
    assert pending.countersigned_at is None and card.activities.count() == 1
    assert card.attested_at is None


def test_host_admin_opens_a_card_only_for_members_they_host(client, people, members):
    client.force_login(people["host"])
    year = timezone.localdate().year
    response = client.post(
        reverse("portal_contact_card:add"), {"member": members.b1.pk, "year": year}
    )
    assert response.status_code == 302
    assert members.b1.contact_cards.filter(year=year).exists()
    client.force_login(people["unrelated"])
    response = client.post(
        reverse("portal_contact_card:add"), {"member": members.b1.pk, "year": year - 2}
    )
    assert "member" in response.context["form"].errors
    assert not members.b1.contact_cards.filter(year=year - 2).exists()


def test_the_open_card_form_offers_only_members_of_paired_townships(client, tree, people):
    """One rule with the ledger (members_visible_to): 甲镇 is not paired with the host branch,
    so its member living there is neither offered nor accepted."""
    unpaired = MemberFactory(
        name="甲一在深党员", origin=tree.village_a1, host=tree.host_branch, host_city="深圳"
    )
    client.force_login(people["host"])
    response = client.get(reverse("portal_contact_card:add"))
    offered = set(response.context["form"].fields["member"].queryset)
    assert people["member"].member in offered and unpaired not in offered
    assert unpaired.name not in response.content.decode()
    year = timezone.localdate().year
    response = client.post(
        reverse("portal_contact_card:add"), {"member": unpaired.pk, "year": year}
    )
    assert "member" in response.context["form"].errors
    assert not unpaired.contact_cards.exists()
