"""The member's certificate and contact card pages, and the public certificate check."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.cards import services as cards
from portal.models import ContactActivity, Role
from portal.registry.factories import UserFactory


def last_year():
    """Last year, read when the test runs (not at import, which may be before a new year)."""
    return timezone.localdate().year - 1


@pytest.fixture
def origin_admin(tree, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.village_b1, "origin_admin")


@pytest.fixture
def host_admin(tree, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.host_branch, "host_admin")


@pytest.fixture
def member(members):
    """乙一党员, floating at the host branch, with a login."""
    member = members.b1
    member.user = UserFactory(username=member.phone)
    member.save(update_fields=["user"])
    return member


@pytest.fixture
def certificate(member, origin_admin):
    return cards.certificate_issue(member=member, user=origin_admin)


# --- Public check -------------------------------------------------------------------------


def test_anyone_checks_a_code_and_sees_only_a_masked_name(client, certificate, member):
    """No login; the page tells valid and the issuer, the name masked, no ID or phone."""
    response = client.get(reverse("verify_activity", kwargs={"code": certificate.code}))
    assert response.status_code == 200
    assert response.context["result"].state == "valid"
    page = response.content.decode()
    assert "乙**员" in page
    assert member.name not in page
    assert member.id_number not in page and member.masked_id_number not in page
    assert member.phone not in page
    assert member.origin.name in page


def test_check_shows_revoked_and_renewed(client, certificate, origin_admin):
    renewal = cards.certificate_renew(certificate=certificate, user=origin_admin)
    old = client.get(reverse("verify_activity", kwargs={"code": certificate.code}))
    assert old.context["result"].state == "renewed"
    cards.certificate_revoke(certificate=renewal, reason="转出")
    new = client.get(reverse("verify_activity", kwargs={"code": renewal.code}))
    assert new.context["result"].state == "revoked"
    assert "转出" not in new.content.decode()  # the reason is not public


def test_unknown_code_is_404_and_the_form_redirects(client, certificate):
    assert (
        client.get(reverse("verify_activity", kwargs={"code": "ZZZZZZZZZZZZ"})).status_code == 404
    )
    typed = f" {certificate.code[:4].lower()}-{certificate.code[4:]} "
    response = client.get(reverse("verify_activity_form"), {"code": typed})
    assert response.url == reverse("verify_activity", kwargs={"code": certificate.code})
    assert client.get(reverse("verify_activity_form")).status_code == 200


def test_an_id_number_typed_as_a_code_is_not_put_into_a_url(client, certificate):
    """Someone typing an ID number into the check gets "not found" on the form's own page:
    no redirect carries the number into a path (and the access log)."""
    id_number = certificate.member.id_number or "11010519491231002X"
    response = client.get(reverse("verify_activity_form"), {"code": id_number})
    assert response.status_code == 404
    assert response.context["result"].state == "missing"
    assert id_number not in response.content.decode()


# --- The member's certificate -------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, certificate):
    for url in (
        reverse("my_certificate"),
        reverse("my_certificate_pdf", kwargs={"code": certificate.code}),
        reverse("my_contact_card"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("portal:login") in response.url


def test_member_sees_and_downloads_their_certificate(client, member, certificate):
    client.force_login(member.user)
    page = client.get(reverse("my_certificate"))
    assert page.status_code == 200
    assert [c for c, _state in page.context["rows"]] == [certificate]
    assert member.masked_id_number in page.content.decode()
    assert member.id_number not in page.content.decode()
    pdf = client.get(reverse("my_certificate_pdf", kwargs={"code": certificate.code}))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


def test_member_cannot_download_someone_elses_certificate(client, members, member, origin_admin):
    other = cards.certificate_issue(member=members.a1, user=origin_admin)
    client.force_login(member.user)
    response = client.get(reverse("my_certificate_pdf", kwargs={"code": other.code}))
    assert response.status_code == 404


def test_a_user_who_is_no_member_is_refused(client, origin_admin):
    client.force_login(origin_admin)
    assert client.get(reverse("my_certificate")).status_code == 403


# --- The member's contact card ------------------------------------------------------------


def _proposal(**overrides):
    return {
        "kind": ContactActivity.Kind.VOLUNTEER,
        "held_on": f"{last_year()}-05-04",
        "description": "社区防疫志愿服务",
        "volunteer_hours": "3",
    } | overrides


def test_member_proposes_an_activity_which_waits_for_countersignature(client, member):
    client.force_login(member.user)
    response = client.post(reverse("my_contact_card"), _proposal())
    assert response.status_code == 302
    activity = ContactActivity.objects.get()
    assert activity.card.member == member and activity.card.year == last_year()
    assert activity.recorded_by == member.user
    assert activity.countersigned_at is None
    page = client.get(response.url)
    assert page.context["summary"].pending == 1


def test_bad_proposal_names_the_field_and_writes_nothing(client, member):
    client.force_login(member.user)
    response = client.post(reverse("my_contact_card"), _proposal(volunteer_hours=""))
    assert response.status_code == 200
    assert "volunteer_hours" in response.context["form"].errors
    assert not ContactActivity.objects.exists()


def test_member_sees_only_their_own_card(client, member, members, host_admin):
    card = cards.contact_card_open(member=member, year=last_year())
    cards.contact_activity_record(
        card=card,
        kind="meetings",
        held_on=datetime.date(last_year(), 3, 1),
        description="党员大会",
        user=host_admin,
        countersign=True,
    )
    client.force_login(member.user)
    response = client.get(reverse("my_contact_card"), {"year": last_year()})
    assert response.context["card"] == card
    assert response.context["summary"].total == 1
    # The attestation print is the member's own, once issued.
    url = reverse("my_attestation", kwargs={"year": last_year()})
    assert client.get(url).status_code == 404
    cards.contact_card_attest(card=card, user=host_admin)
    printed = client.get(url)
    assert printed.status_code == 200
    assert printed.context["attestation"]["total"] == 1
