"""Certificates in the admin, per role: the origin admin, the host admin of the member's host
branch, an unrelated admin, the member, and anonymous."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.cards import services as cards
from portal.models import ActivityCertificate
from tests.portal.cards.helpers import login_as, refused


@pytest.fixture
def certificate(members, people):
    return cards.certificate_issue(member=members.b1, user=people["origin"])


@pytest.mark.parametrize(
    ("who", "listed"),
    [("origin", True), ("unrelated", False)],
)
def test_certificate_list_is_the_origin_sides(client, people, certificate, who, listed):
    response = login_as(client, people, who).get(reverse("portal_certificate:index"))
    assert response.status_code == 200
    assert (certificate in response.context["object_list"]) is listed


def test_host_side_admins_have_no_certificate_admin(client, people, certificate):
    """Certificates are the origin side's: an admin of host organisations only is refused."""
    client.force_login(people["host"])
    assert refused(client.get(reverse("portal_certificate:index")).status_code)
    assert refused(client.get(reverse("portal_certificate:add")).status_code)


@pytest.mark.parametrize("who", ["member", "anonymous"])
def test_certificate_admin_refuses_members_and_anonymous(client, people, certificate, who):
    login_as(client, people, who)
    for name in ("index", "add"):
        assert refused(client.get(reverse(f"portal_certificate:{name}")).status_code)
    assert refused(client.get(reverse("portal_certificate:pdf", args=[certificate.pk])).status_code)


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
