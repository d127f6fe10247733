"""Certificates and contact cards in the admin, per role: the origin admin, the host admin of
the member's host branch, an unrelated admin, the member, and anonymous."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.cards import services as cards
from portal.models import ActivityCertificate, ContactActivity, Role
from portal.registry.factories import UserFactory

LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture
def people(tree, members, user_with_role):
    """Who is who around 乙一党员 (origin 乙一村, host 驻深圳临时党支部)."""
    member = members.b1
    member.user = UserFactory(username=member.phone)
    member.save(update_fields=["user"])
    return {
        "origin": user_with_role(Role.ORG_ADMIN, tree.village_b1, "origin_admin"),
        "host": user_with_role(Role.ORG_ADMIN, tree.host_branch, "host_admin"),
        "unrelated": user_with_role(Role.ORG_ADMIN, tree.township_a, "unrelated_admin"),
        "member": member.user,
    }


@pytest.fixture
def certificate(members, people):
    return cards.certificate_issue(member=members.b1, user=people["origin"])


@pytest.fixture
def card(members, people):
    card = cards.contact_card_open(member=members.b1, year=LAST_YEAR)
    cards.contact_activity_record(
        card=card,
        kind="meetings",
        held_on=datetime.date(LAST_YEAR, 2, 9),
        description="党员大会",
        user=people["host"],
    )
    return card


def _login(client, people, who):
    if who != "anonymous":
        client.force_login(people[who])
    return client


def _not_in(status: int) -> bool:
    """Refused: 404 for an admin outside the scope, a login redirect or 403 otherwise."""
    return status in (302, 403, 404)


# --- Certificates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "listed"),
    [("origin", True), ("unrelated", False)],
)
def test_certificate_list_is_the_origin_sides(client, people, certificate, who, listed):
    response = _login(client, people, who).get(reverse("portal_certificate:index"))
    assert response.status_code == 200
    assert (certificate in response.context["object_list"]) is listed


def test_host_side_admins_have_no_certificate_admin(client, people, certificate):
    """Certificates are the origin side's: an admin of host organisations only is refused."""
    client.force_login(people["host"])
    assert _not_in(client.get(reverse("portal_certificate:index")).status_code)
    assert _not_in(client.get(reverse("portal_certificate:add")).status_code)


@pytest.mark.parametrize("who", ["member", "anonymous"])
def test_certificate_admin_refuses_members_and_anonymous(client, people, certificate, who):
    _login(client, people, who)
    for name in ("index", "add"):
        assert _not_in(client.get(reverse(f"portal_certificate:{name}")).status_code)
    assert _not_in(client.get(reverse("portal_certificate:pdf", args=[certificate.pk])).status_code)


def test_origin_admin_issues_renews_revokes_and_prints(client, people, members):
    client.force_login(people["origin"])
    response = client.post(
        reverse("portal_certificate:add"),
        {"member": members.b1.pk, "issued_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    certificate = ActivityCertificate.objects.get(member=members.b1)
    pdf = client.get(reverse("portal_certificate:pdf", args=[certificate.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    response = client.post(
        reverse("portal_certificate:renew", args=[certificate.pk]),
        {"issued_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    renewal = ActivityCertificate.objects.get(replaces=certificate)
    response = client.post(
        reverse("portal_certificate:revoke", args=[renewal.pk]), {"revoke_reason": "组织关系转出"}
    )
    assert response.status_code == 302
    renewal.refresh_from_db()
    assert renewal.status == "revoked" and renewal.revoke_reason == "组织关系转出"


def test_issuing_twice_shows_the_error_on_the_member_field(client, people, members, certificate):
    client.force_login(people["origin"])
    response = client.post(
        reverse("portal_certificate:add"),
        {"member": members.b1.pk, "issued_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert "member" in response.context["form"].errors
    assert ActivityCertificate.objects.count() == 1


@pytest.mark.parametrize(("who", "status"), [("host", 302), ("unrelated", 404)])
def test_admins_outside_the_origin_are_refused_and_change_nothing(
    client, people, members, certificate, who, status
):
    """An origin-side admin of another subtree gets 404; a host-side admin is refused."""
    client.force_login(people[who])
    for name in ("renew", "revoke", "pdf"):
        url = reverse(f"portal_certificate:{name}", args=[certificate.pk])
        assert client.get(url).status_code == status
        assert client.post(url, {"revoke_reason": "x"}).status_code == status
    response = client.post(
        reverse("portal_certificate:add"),
        {"member": members.b1.pk, "issued_on": timezone.localdate().isoformat()},
    )
    if who == "unrelated":  # issuing to a member they do not keep is not offered
        assert "member" in response.context["form"].errors
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    assert ActivityCertificate.objects.count() == 1


def test_generic_edit_and_delete_are_not_routed(client, people, certificate):
    client.force_login(people["origin"])
    assert client.get(f"/admin/ledger/certificates/edit/{certificate.pk}/").status_code == 404
    assert client.get(f"/admin/ledger/certificates/delete/{certificate.pk}/").status_code == 404


# --- Contact cards ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "keeps"),
    [("host", 200, True), ("origin", 200, False), ("unrelated", 404, False)],
)
def test_card_page_per_admin(client, people, card, who, status, keeps):
    """The host side keeps it, the origin side reads it, an unrelated admin gets 404."""
    response = _login(client, people, who).get(reverse("portal_contact_card:card", args=[card.pk]))
    assert response.status_code == status
    if status == 200:
        assert response.context["keeps"] is keeps
    listing = client.get(reverse("portal_contact_card:index"))
    assert (card in listing.context["object_list"]) is (status == 200)


@pytest.mark.parametrize("who", ["member", "anonymous"])
def test_card_admin_refuses_members_and_anonymous(client, people, card, who):
    _login(client, people, who)
    assert _not_in(client.get(reverse("portal_contact_card:index")).status_code)
    assert _not_in(client.get(reverse("portal_contact_card:card", args=[card.pk])).status_code)


def test_host_admin_records_countersigns_and_attests(client, people, card):
    client.force_login(people["host"])
    url = reverse("portal_contact_card:card", args=[card.pk])
    response = client.post(
        url,
        {
            "kind": "volunteer",
            "held_on": f"{LAST_YEAR}-06-01",
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
        {"kind": "meetings", "held_on": f"{LAST_YEAR - 1}-06-01", "description": "会"},
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
        {"kind": "meetings", "held_on": f"{LAST_YEAR}-06-01", "description": "会"},
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
