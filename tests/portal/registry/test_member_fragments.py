"""A member's cached page pieces (portal.registry.member_fragments): each member sees only
their own, and a change to what a page shows appears on the next request, whoever made it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.cards import services as cards
from portal.models import Organization, WhereaboutsReport
from portal.parcels import services as parcels
from portal.registry.factories import UserFactory
from portal.registry.member_fragments import member_fragments
from portal.registry.models import Role
from portal.whereabouts import services as whereabouts
from tests.portal.parcels.helpers import package_in, shipping, with_login

pytestmark = pytest.mark.django_db
WHEREABOUTS = "/me/whereabouts/"
CARD = "/me/contact-card/"


@pytest.fixture
def a1(members):
    return with_login(members.a1)


@pytest.fixture
def b1(members):
    return with_login(members.b1)


def _as(client, member):
    client.force_login(member.user)
    return client


def _html(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def _report(member, city: str, **fields) -> WhereaboutsReport:
    return WhereaboutsReport.objects.create(
        member=member,
        month=timezone.localdate().replace(day=1),
        city=city,
        address="宝安区西乡街道 88 号",
        phone=member.phone,
        **fields,
    )


def test_pieces_are_built_once_until_the_member_changes(a1):
    built = []

    def build():
        built.append(1)
        return {"html": f"<p>{len(built)}</p>"}

    assert member_fragments(a1, "probe", build)["html"] == "<p>1</p>"
    assert member_fragments(a1, "probe", build)["html"] == "<p>1</p>"
    assert member_fragments(a1, "probe", build, "other") == {"html": "<p>2</p>"}
    a1.save()
    assert member_fragments(a1, "probe", build)["html"] == "<p>3</p>"


def test_a_cached_page_asks_the_database_for_nothing_of_its_own(client, a1):
    _report(a1, "东莞")
    _as(client, a1)
    _html(client, WHEREABOUTS)
    with CaptureQueriesContext(connection) as cold:
        client.get(WHEREABOUTS)
    # Only the session and the user with the member are read; reports and host choices not.
    statements = [q["sql"] for q in cold.captured_queries]
    assert not [sql for sql in statements if "portal_whereaboutsreport" in sql]
    assert not [sql for sql in statements if 'FROM "portal_organization"' in sql]


def test_each_member_sees_only_their_own_whereabouts(client, a1, b1):
    _report(a1, "东莞")
    _report(b1, "佛山")
    first = _html(_as(client, a1), WHEREABOUTS)
    second = _html(_as(client, b1), WHEREABOUTS)
    assert "东莞" in first and "佛山" not in first
    assert "佛山" in second and "东莞" not in second


def test_a_report_and_its_verification_show_at_once(client, a1, user_with_role, tree):
    _as(client, a1)
    assert "东莞" not in _html(client, WHEREABOUTS)
    client.post(
        WHEREABOUTS,
        {"city": "东莞", "employer": "", "address": "长安镇 1 号", "phone": a1.phone, "host": ""},
    )
    html = _html(client, WHEREABOUTS)
    assert 'data-status="submitted"' in html and 'value="东莞"' in html
    admin = user_with_role(Role.ORG_ADMIN, tree.village_a1, "origin_admin")
    whereabouts.whereabouts_report_verify(report=WhereaboutsReport.objects.get(), user=admin)
    assert 'data-status="verified"' in _html(client, WHEREABOUTS)


def test_a_renamed_host_branch_shows_at_once(client, a1, tree):
    _as(client, a1)
    assert "驻深圳临时党支部" in _html(client, WHEREABOUTS)
    branch = Organization.objects.get(pk=tree.host_branch.pk)
    branch.name = "驻深圳第一临时党支部"
    branch.save()
    assert "驻深圳第一临时党支部" in _html(client, WHEREABOUTS)


def test_the_contact_card_follows_the_host_branchs_countersignature(client, b1, user_with_role):
    host_admin = user_with_role(Role.ORG_ADMIN, b1.host, "host_admin")
    year = timezone.localdate().year
    _as(client, b1)
    assert 'id="activities"' not in _html(client, CARD, year=year)
    card = cards.contact_card_open(member=b1, year=year)
    activity = cards.contact_activity_record(
        card=card,
        kind="meetings",
        held_on=datetime.date(year, 1, 2),
        description="党员大会",
        user=host_admin,
    )
    html = _html(client, CARD, year=year)
    assert "党员大会" in html and 'data-signed="0"' in html
    cards.contact_activity_countersign(activity=activity, user=host_admin)
    assert 'data-signed="1"' in _html(client, CARD, year=year)
    cards.contact_card_attest(card=card, user=host_admin)
    html = _html(client, CARD, year=year)
    assert reverse("my_attestation", kwargs={"year": year}) in html
    assert 'id="propose"' not in html


def test_another_member_never_gets_a_card(client, a1, b1, user_with_role):
    host_admin = user_with_role(Role.ORG_ADMIN, b1.host, "host_admin")
    year = timezone.localdate().year
    card = cards.contact_card_open(member=b1, year=year)
    cards.contact_activity_record(
        card=card,
        kind="meetings",
        held_on=datetime.date(year, 1, 2),
        description="党员大会",
        user=host_admin,
    )
    assert "党员大会" in _html(_as(client, b1), CARD, year=year)
    html = _html(_as(client, a1), CARD, year=year)
    assert "党员大会" not in html
    assert 'id="propose"' not in html  # a1 has no host branch to countersign


def test_the_catalog_follows_requests_and_stock(client, a1, members, tree):
    package = package_in(tree.county, stock=1)
    catalog = package.get_parent()
    other = with_login(members.a2)
    _as(client, a1)
    assert 'class="button request"' in _html(client, catalog.url)
    parcels.package_request_create(
        package=package, member=other, user=other.user, **shipping(other)
    )
    # The last package went to someone else: out of stock for a1 too.
    html = _html(client, catalog.url)
    assert 'class="button request"' not in html
    request = other.red_package_requests.get()
    parcels.package_request_cancel(request=request)
    assert 'class="button request"' in _html(client, catalog.url)
    staff = UserFactory(username="stock_keeper", is_superuser=True)
    parcels.package_stock_move(package=package, change=-1, reason="盘点", user=staff)
    assert 'class="button request"' not in _html(client, catalog.url)
