"""Red packages on the member's phone: the request form on the package page, "my packages",
confirming receipt and cancelling."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.models import Member, Notification, RedPackageRequest, RedPackageStock
from portal.parcels import services as parcels

from .helpers import ADDRESS, package_in, shipping, with_login

State = RedPackageRequest.State
pytestmark = pytest.mark.django_db


@pytest.fixture
def package(tree):
    return package_in(tree.county, stock=5)


@pytest.fixture
def member(members):
    return with_login(members.a1)


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


def request_url(package) -> str:
    return reverse("package_request", args=[package.pk])


def test_the_package_page_offers_an_eligible_member_the_form_prefilled_from_the_record(
    member_client, member, package
):
    page = member_client.get(package.url).content.decode()
    assert f'action="{request_url(package)}"' in page
    assert f'value="{member.name}"' in page and f'value="{member.phone}"' in page
    assert ADDRESS in page


def test_no_form_for_visitors_the_package_is_not_for(client, member_client, member, package):
    Member.objects.filter(pk=member.pk).update(floating_status=Member.FloatingStatus.RETURNED)
    page = member_client.get(package.url).content.decode()
    assert request_url(package) not in page
    assert _("This red package is for floating members only.") in page
    client.logout()
    assert client.get(package.url).status_code in (302, 200)  # members-only page: the login
    assert request_url(package) not in client.get(package.url).content.decode()


def test_a_member_requests_the_package_and_sees_it_waiting(member_client, member, package):
    data = shipping(member, address="广东省东莞市长安镇振安中路168号3栋502")
    response = member_client.post(request_url(package), data)
    assert response.status_code == 302 and response.url == reverse("my_packages")
    made = RedPackageRequest.objects.get(member=member)
    assert made.address == data["address"] and made.state == State.WAITING
    assert RedPackageStock.objects.get(package=package).available == 4
    mine = member_client.get(reverse("my_packages")).content.decode()
    assert f'data-request="{made.pk}" data-state="waiting"' in mine
    page = member_client.get(package.url).content.decode()
    assert request_url(package) not in page and 'data-state="waiting"' in page


def test_a_bad_phone_shows_the_page_again_with_the_error_on_the_field(
    member_client, member, package
):
    response = member_client.post(request_url(package), shipping(member, phone="1380013"))
    assert response.status_code == 400
    page = response.content.decode()
    assert _("The phone number must be an 11-digit mainland mobile number from 13 to 19.") in page
    assert 'value="1380013"' in page  # what was typed is kept
    assert not RedPackageRequest.objects.exists()
    assert RedPackageStock.objects.get(package=package).available == 5


def test_out_of_stock_is_said_on_the_page(member_client, member, package):
    RedPackageStock.objects.filter(package=package).update(available=0)
    page = member_client.get(package.url).content.decode()
    assert request_url(package) not in page
    assert _("This red package is out of stock.") in page
    response = member_client.post(request_url(package), shipping(member))
    assert response.status_code == 400 and not RedPackageRequest.objects.exists()


def test_requesting_needs_a_login_and_a_member_record(client, package, user_with_role, tree):
    response = client.post(request_url(package), {})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(user_with_role("editor", tree.county))
    assert client.post(request_url(package), {}).status_code == 404


def test_my_packages_shows_courier_and_number_and_receipt_is_confirmed_there(
    member_client, member, package, org_admin_a
):
    made = parcels.package_request_create(
        package=package, member=member, user=member.user, **shipping(member)
    )
    parcels.package_request_dispatch(
        request=made, courier="中国邮政EMS", tracking_number="EA123456789CN", user=org_admin_a
    )
    mine = member_client.get(reverse("my_packages")).content.decode()
    assert "中国邮政EMS" in mine and "EA123456789CN" in mine
    assert reverse("package_receive", args=[made.pk]) in mine
    response = member_client.post(reverse("package_receive", args=[made.pk]))
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.state == State.RECEIVED
    mine = member_client.get(reverse("my_packages")).content.decode()
    assert 'data-state="received"' in mine
    assert reverse("package_receive", args=[made.pk]) not in mine


def test_a_member_cancels_a_waiting_request_and_the_stock_comes_back(
    member_client, member, package
):
    made = parcels.package_request_create(
        package=package, member=member, user=member.user, **shipping(member)
    )
    member_client.post(reverse("package_cancel", args=[made.pk]))
    made.refresh_from_db()
    assert made.state == State.CANCELLED
    assert RedPackageStock.objects.get(package=package).available == 5


def test_another_members_request_is_not_found(client, members, member, package):
    made = parcels.package_request_create(
        package=package, member=member, user=member.user, **shipping(member)
    )
    other = with_login(members.a2)
    client.force_login(other.user)
    assert client.post(reverse("package_receive", args=[made.pk])).status_code == 404
    assert client.post(reverse("package_cancel", args=[made.pk])).status_code == 404
    assert not re.search(r"data-request=", client.get(reverse("my_packages")).content.decode())


def test_the_dispatch_notification_links_to_my_packages(
    member, package, org_admin_a, django_capture_on_commit_callbacks
):
    made = parcels.package_request_create(
        package=package, member=member, user=member.user, **shipping(member)
    )
    with django_capture_on_commit_callbacks(execute=True):
        parcels.package_request_dispatch(
            request=made, courier="顺丰速运", tracking_number="SF1234567890123", user=org_admin_a
        )
    notice = Notification.objects.get(recipient=member.user)
    assert notice.url == reverse("my_packages")


def test_my_packages_links_the_catalog_and_says_what_to_do_when_empty(member_client, package):
    catalog = package.get_parent()
    html = member_client.get(reverse("my_packages")).content.decode()
    assert f'href="{catalog.url}"' in html
    empty = html[html.index('class="item empty"') :].split("</li>", 1)[0]
    assert _("You have not asked for a red package yet.") in empty
    assert (
        _(
            "Open the catalog above, choose a package and ask for it on its page: "
            "your branch mails it to you."
        )
        in empty
    )
