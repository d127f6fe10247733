"""Red packages in the admin, per role: requests to dispatch (one, or several at once),
assigning packages to a branch's members, stock, and the counts on the admin home."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import RedPackageRequest, RedPackageStock, Role, StockMovement
from portal.parcels import services as parcels
from portal.parcels.panels import period_choices

from .helpers import package_in, shipping, with_login

State = RedPackageRequest.State
pytestmark = pytest.mark.django_db
INDEX = reverse("portal_parcel_request:index")


@pytest.fixture
def package(tree):
    return package_in(tree.county, stock=10)


@pytest.fixture
def waiting(members, package):
    """A waiting request of a member of township A and one of township B."""
    return {
        member: parcels.package_request_create(
            package=package, member=with_login(member), user=member.user, **shipping(member)
        )
        for member in (members.a1, members.b1)
    }


@pytest.fixture
def admin_client(client, org_admin_a):
    client.force_login(org_admin_a)
    return client


def test_an_org_admin_lists_the_requests_of_the_members_they_keep(admin_client, waiting, members):
    page = admin_client.get(INDEX).content.decode()
    assert members.a1.name in page and members.b1.name not in page
    assert members.a1.phone not in page  # masked in the list
    assert reverse("portal_parcel_request:dispatch", args=[waiting[members.a1].pk]) in page


def test_the_list_filters_by_state(admin_client, waiting, members, org_admin_a):
    parcels.package_request_dispatch(
        request=waiting[members.a1],
        courier="EMS",
        tracking_number="EA123456789CN",
        user=org_admin_a,
    )
    assert members.a1.name not in admin_client.get(INDEX, {"state": "waiting"}).content.decode()
    assert members.a1.name in admin_client.get(INDEX, {"state": "dispatched"}).content.decode()


def test_dispatching_records_courier_and_number(admin_client, waiting, members, org_admin_a):
    item = waiting[members.a1]
    url = reverse("portal_parcel_request:dispatch", args=[item.pk])
    assert item.phone in admin_client.get(url).content.decode()  # to write on the waybill
    response = admin_client.post(url, {"courier": "顺丰速运", "tracking_number": "SF1234567890123"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == State.DISPATCHED and item.dispatched_by == org_admin_a


def test_a_bad_tracking_number_is_shown_on_its_field(admin_client, waiting, members):
    item = waiting[members.a1]
    url = reverse("portal_parcel_request:dispatch", args=[item.pk])
    response = admin_client.post(url, {"courier": "顺丰速运", "tracking_number": "不知道"})
    assert response.status_code == 200
    assert response.context["form"].errors["tracking_number"]
    item.refresh_from_db()
    assert item.state == State.WAITING


def test_requests_of_members_not_kept_are_not_found(admin_client, waiting, members):
    other = waiting[members.b1]
    for name in ("dispatch", "cancel", "inspect"):
        url = reverse(f"portal_parcel_request:{name}", args=[other.pk])
        assert admin_client.get(url).status_code == 404
    data = {"courier": "EMS", "tracking_number": "EA123456789CN"}
    url = reverse("portal_parcel_request:dispatch", args=[other.pk])
    assert admin_client.post(url, data).status_code == 404


def test_bulk_dispatch_sends_those_with_a_number_and_keeps_a_bad_one_waiting(
    admin_client, members, package
):
    first = parcels.package_request_create(
        package=package, member=with_login(members.a1), user=members.a1.user, **shipping(members.a1)
    )
    second = parcels.package_request_create(
        package=package, member=with_login(members.a2), user=members.a2.user, **shipping(members.a2)
    )
    url = reverse("portal_parcel_request:bulk")
    page = admin_client.get(url).content.decode()
    assert f'name="tracking-{first.pk}"' in page and f'name="tracking-{second.pk}"' in page
    data = {
        "courier": "中通快递",
        f"tracking-{first.pk}": "75312345678901",
        f"tracking-{second.pk}": "x",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the bad one is shown again
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == State.DISPATCHED and first.courier == "中通快递"
    assert second.state == State.WAITING


def test_a_secretary_assigns_a_package_to_ticked_members_of_a_branch(
    admin_client, tree, members, package
):
    with_login(members.a1)
    url = reverse("portal_parcel_request:assign")
    page = admin_client.get(url, {"package": package.pk, "organization": tree.village_a1.pk})
    assert f'value="{members.a1.pk}"' in page.content.decode()
    data = {"package": package.pk, "organization": tree.village_a1.pk, "members": [members.a1.pk]}
    response = admin_client.post(url, data)
    assert response.status_code == 302
    made = RedPackageRequest.objects.get(member=members.a1)
    assert made.source == RedPackageRequest.Source.ASSIGNED and made.address == members.a1.address


def test_a_secretary_cannot_assign_outside_their_branches(admin_client, tree, members, package):
    url = reverse("portal_parcel_request:assign")
    data = {"package": package.pk, "organization": tree.village_b1.pk, "members": [members.b1.pk]}
    response = admin_client.post(url, data)
    assert response.status_code == 200 and response.context["form"].errors
    assert not RedPackageRequest.objects.exists()


def test_a_member_or_editor_cannot_use_the_request_views(client, tree, user_with_role, waiting):
    client.force_login(user_with_role(Role.EDITOR, tree.county))
    assert client.get(INDEX).status_code in (302, 403)
    assert client.get(reverse("portal_parcel_request:bulk")).status_code in (302, 403)


def test_an_editor_of_the_section_restocks_with_a_reason(client, tree, package, user_with_role):
    editor = user_with_role(Role.EDITOR, tree.county)
    client.force_login(editor)
    assert package.title in client.get(reverse("portal_stock:index")).content.decode()
    url = reverse("portal_stock_movement:add")
    response = client.post(url, {"package": package.pk, "change": 40, "reason": "年度补货"})
    assert response.status_code == 302
    assert RedPackageStock.objects.get(package=package).available == 50
    movement = StockMovement.objects.get()
    assert movement.made_by == editor and movement.reason == "年度补货"
    movements = client.get(reverse("portal_stock_movement:index")).content.decode()
    assert "年度补货" in movements


def test_a_correction_below_zero_is_refused_on_the_change_field(
    client, tree, package, user_with_role
):
    client.force_login(user_with_role(Role.ORG_ADMIN, tree.county))
    url = reverse("portal_stock_movement:add")
    response = client.post(url, {"package": package.pk, "change": -11, "reason": "盘点"})
    assert response.status_code == 200 and response.context["form"].errors["change"]
    assert RedPackageStock.objects.get(package=package).available == 10


def test_stock_of_another_sections_package_is_out_of_reach(client, tree, package, user_with_role):
    client.force_login(user_with_role(Role.EDITOR, tree.township_a))
    package_in(tree.township_a, title="甲镇学习包")
    stock = client.get(reverse("portal_stock:index")).content.decode()
    assert "甲镇学习包" in stock and package.title not in stock
    url = reverse("portal_stock_movement:add")
    response = client.post(url, {"package": package.pk, "change": 5, "reason": "补货"})
    assert response.status_code == 200 and response.context["form"].errors["package"]
    assert RedPackageStock.objects.get(package=package).available == 10


def test_the_admin_home_counts_sent_and_delivered_per_organisation(
    client, tree, members, waiting, user_with_role
):
    county_admin = user_with_role(Role.ORG_ADMIN, tree.county)
    for member in (members.a1, members.b1):
        parcels.package_request_dispatch(
            request=waiting[member],
            courier="EMS",
            tracking_number="EA123456789CN",
            user=county_admin,
        )
    parcels.package_request_receive(request=waiting[members.a1], member=members.a1)
    client.force_login(county_admin)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-organization="C" data-sent="2" data-received="1"' in page
    assert 'data-organization="A" data-sent="1" data-received="1"' in page
    assert 'data-organization="B" data-sent="1" data-received="0"' in page
    last_year = str(timezone.localdate().year - 1)
    page = client.get(reverse("wagtailadmin_home"), {"packages_period": last_year})
    assert 'data-organization="C" data-sent="0" data-received="0"' in page.content.decode()


def test_a_township_admin_counts_only_their_own_subtree(
    admin_client, members, waiting, org_admin_a
):
    for member in (members.a1, members.b1):
        parcels.package_request_dispatch(
            request=waiting[member],
            courier="EMS",
            tracking_number="EA123456789CN",
            user=None,
        )
    page = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-organization="A" data-sent="1"' in page
    assert 'data-organization="B"' not in page and 'data-organization="C"' not in page


def test_period_choices_cover_months_quarters_and_years():
    choices = period_choices(datetime.date(2026, 2, 10))
    spans = {key: (first, after) for key, _label, first, after in choices}
    assert spans["2026-02"] == (datetime.date(2026, 2, 1), datetime.date(2026, 3, 1))
    assert spans["2026-01"] == (datetime.date(2026, 1, 1), datetime.date(2026, 2, 1))
    assert spans["2026-Q1"] == (datetime.date(2026, 1, 1), datetime.date(2026, 4, 1))
    assert spans["2025-Q4"] == (datetime.date(2025, 10, 1), datetime.date(2026, 1, 1))
    assert spans["2025"] == (datetime.date(2025, 1, 1), datetime.date(2026, 1, 1))
    assert str(_("Year %(year)d") % {"year": 2026}) in [label for _k, label, _f, _a in choices]
