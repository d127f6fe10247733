"""Red-package services: who may have one, stock taken and returned, dispatch and receipt."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.models import (
    Member,
    Notification,
    Pairing,
    RedPackagePage,
    RedPackageRequest,
    RedPackageStock,
    Role,
    StockMovement,
)
from portal.parcels import notifications as parcel_notifications
from portal.parcels import selectors as parcel_selectors
from portal.parcels import services as parcels
from portal.registry.factories import MemberFactory
from portal.signals import red_package_received

from .helpers import package_in, shipping, with_login

State = RedPackageRequest.State
pytestmark = pytest.mark.django_db


def available(package) -> int:
    return RedPackageStock.objects.get(package=package).available


def request_for(member, package, user=None, **overrides) -> RedPackageRequest:
    return parcels.package_request_create(
        package=package, member=member, user=user or member.user, **shipping(member, **overrides)
    )


@pytest.fixture
def package(tree):
    return package_in(tree.county, stock=3)


@pytest.fixture
def member(members):
    return with_login(members.a1)


def test_a_request_takes_one_package_from_stock_with_the_shipping_details(member, package):
    made = request_for(member, package, phone="139 0000 1234")
    assert made.state == State.WAITING and made.source == RedPackageRequest.Source.REQUESTED
    assert made.phone == "13900001234" and made.requested_by == member.user
    assert available(package) == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", "12345"), ("recipient", "  "), ("address", "深圳")],
)
def test_bad_shipping_details_are_refused_by_field_and_take_nothing(member, package, field, value):
    with pytest.raises(ValidationError) as caught:
        request_for(member, package, **{field: value})
    assert field in caught.value.message_dict
    assert available(package) == 3 and not RedPackageRequest.objects.exists()


def test_a_member_asks_once_until_the_request_is_cancelled(member, package):
    first = request_for(member, package)
    with pytest.raises(ValidationError) as caught:
        request_for(member, package)
    assert caught.value.message_dict["package"] == [
        _("%(name)s has already asked for this red package.") % {"name": member.name}
    ]
    assert available(package) == 2
    parcels.package_request_cancel(request=first, reason="地址有误")
    assert available(package) == 3
    request_for(member, package)
    assert available(package) == 2


def test_out_of_stock_is_a_clear_refusal(members, package):
    for member in (members.a1, members.a2, members.b1):
        request_for(with_login(member), package)
    fourth = with_login(MemberFactory(origin=members.a1.origin))
    with pytest.raises(ValidationError) as caught:
        request_for(fourth, package)
    assert caught.value.message_dict["package"] == [_("This red package is out of stock.")]
    assert available(package) == 0


def test_a_package_without_stock_recorded_is_out_of_stock(tree, member):
    package = package_in(tree.county, stock=None, title="无库存包")
    with pytest.raises(ValidationError, match=str(_("This red package is out of stock."))):
        request_for(member, package)


def test_floating_only_packages_refuse_members_who_are_not_floating(member, package):
    member.floating_status = Member.FloatingStatus.RETURNED
    member.save()
    with pytest.raises(ValidationError) as caught:
        request_for(member, package)
    assert caught.value.message_dict["package"] == [
        _("This red package is for floating members only.")
    ]


def test_a_package_for_listed_organisations_takes_their_members_origin_or_host(tree, members):
    package = package_in(
        tree.county, title="深圳专送", organizations=[tree.village_a2, tree.host_branch]
    )
    assert parcel_selectors.package_refusal(package=package, member=members.a1) == _(
        "This red package is only for members of the organisations listed."
    )
    assert parcel_selectors.package_refusal(package=package, member=members.a2) is None
    assert (
        parcel_selectors.package_refusal(package=package, member=members.b1) is None
    )  # hosted there


def test_all_members_packages_take_members_who_are_not_floating(tree, member):
    package = package_in(
        tree.county, title="全体", eligibility=RedPackagePage.Eligibility.ALL_MEMBERS
    )
    member.floating_status = Member.FloatingStatus.LOCAL
    member.save()
    assert parcel_selectors.package_refusal(package=package, member=member) is None


def test_a_secretary_assigns_to_members_they_keep_only(tree, members, package, org_admin_a):
    for member in (members.a1, members.a2):
        with_login(member)
    made, refused = parcels.package_assign(
        package=package, members=[members.a1, members.a2, members.b1], user=org_admin_a
    )
    assert {r.member for r in made} == {members.a1, members.a2}
    assert all(r.source == RedPackageRequest.Source.ASSIGNED for r in made)
    assert all(r.requested_by == org_admin_a for r in made)
    assert list(refused) == [members.b1]
    assert available(package) == 1


def test_an_assignment_to_a_member_without_an_address_is_refused_for_that_member(
    members, package, org_admin_a
):
    made, refused = parcels.package_assign(package=package, members=[members.a2], user=org_admin_a)
    assert made == [] and "address" not in refused  # keyed by member, with the reason
    assert refused[members.a2] == _("Give the full address: city, street, building and room.")


def test_dispatch_records_courier_and_number_and_tells_the_member(
    member, package, org_admin_a, django_capture_on_commit_callbacks
):
    made = request_for(member, package)
    with django_capture_on_commit_callbacks(execute=True):
        parcels.package_request_dispatch(
            request=made,
            courier="顺丰速运",
            tracking_number="sf 1234 5678 9012 3",
            user=org_admin_a,
        )
    made.refresh_from_db()
    assert made.state == State.DISPATCHED and made.tracking_number == "SF1234567890123"
    assert made.dispatched_by == org_admin_a and made.dispatched_at
    notice = Notification.objects.get(recipient=member.user)
    assert package.title in notice.title and "SF1234567890123" in notice.body
    parcel_notifications.package_dispatch_notify(
        request_id=made.pk
    )  # a retried task tells nobody twice
    assert Notification.objects.filter(recipient=member.user).count() == 1


@pytest.mark.parametrize(
    ("courier", "number", "field"),
    [
        ("", "SF1234567890123", "courier"),
        ("顺丰速运", "", "tracking_number"),
        ("顺丰速运", "快递单号", "tracking_number"),
        ("EMS", "12345", "tracking_number"),
    ],
)
def test_dispatch_needs_a_courier_and_a_plausible_number(
    member, package, org_admin_a, courier, number, field
):
    made = request_for(member, package)
    with pytest.raises(ValidationError) as caught:
        parcels.package_request_dispatch(
            request=made, courier=courier, tracking_number=number, user=org_admin_a
        )
    assert field in caught.value.message_dict
    made.refresh_from_db()
    assert made.state == State.WAITING


def test_a_package_is_dispatched_once_and_a_sent_one_cannot_be_cancelled(
    member, package, org_admin_a
):
    made = request_for(member, package)
    parcels.package_request_dispatch(
        request=made, courier="EMS", tracking_number="EA123456789CN", user=org_admin_a
    )
    with pytest.raises(ValidationError):
        parcels.package_request_dispatch(
            request=made, courier="EMS", tracking_number="EA999999999CN", user=org_admin_a
        )
    with pytest.raises(ValidationError):
        parcels.package_request_cancel(request=made)
    made.refresh_from_db()
    assert made.tracking_number == "EA123456789CN" and available(package) == 2


def test_receipt_is_the_members_own_once_sent_and_signals_on_commit(
    members, member, package, org_admin_a, django_capture_on_commit_callbacks
):
    made = request_for(member, package)
    with pytest.raises(ValidationError):
        parcels.package_request_receive(request=made, member=member)  # not sent yet
    parcels.package_request_dispatch(
        request=made, courier="EMS", tracking_number="EA123456789CN", user=org_admin_a
    )
    with pytest.raises(ValidationError):
        parcels.package_request_receive(request=made, member=members.a2)
    heard = []

    def receiver(sender, **kwargs):
        heard.append(kwargs)

    red_package_received.connect(receiver, dispatch_uid="test_parcels_receiver")
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            parcels.package_request_receive(request=made, member=member)
        assert heard == []  # nothing is said before the receipt is committed
        for callback in callbacks:
            callback()
        with django_capture_on_commit_callbacks(execute=True):
            parcels.package_request_receive(request=made, member=member)  # again: nothing
    finally:
        red_package_received.disconnect(dispatch_uid="test_parcels_receiver")
    made.refresh_from_db()
    assert made.state == State.RECEIVED and made.received_at
    assert [(h["request_id"], h["member_id"], h["package_id"]) for h in heard] == [
        (made.pk, member.pk, package.pk)
    ]


def test_restock_and_correction_move_stock_with_reason_and_user(package, user_with_role, tree):
    editor = user_with_role(Role.EDITOR, tree.county)
    movement = parcels.package_stock_move(
        package=package, change=50, reason="县委组织部补货", user=editor
    )
    assert available(package) == 53 and movement.made_by == editor
    parcels.package_stock_move(package=package, change=-3, reason="盘点破损", user=editor)
    assert available(package) == 50
    with pytest.raises(ValidationError) as caught:
        parcels.package_stock_move(package=package, change=-51, reason="盘点", user=editor)
    assert "change" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        parcels.package_stock_move(package=package, change=5, reason="", user=editor)
    assert "reason" in caught.value.message_dict
    assert available(package) == 50 and StockMovement.objects.count() == 2


def test_the_first_restock_of_a_package_creates_its_stock(tree, user_with_role):
    package = package_in(tree.county, stock=None, title="新书包")
    editor = user_with_role(Role.EDITOR, tree.county)
    parcels.package_stock_move(package=package, change=20, reason="首批", user=editor)
    assert available(package) == 20


def test_stock_is_kept_by_editors_and_org_admins_of_the_section_or_above(
    tree, package, user_with_role, org_admin_a
):
    township_package = package_in(tree.township_a, title="甲镇学习包")
    county_editor = user_with_role(Role.EDITOR, tree.county)
    township_editor = user_with_role(Role.EDITOR, tree.township_a)
    reviewer = user_with_role(Role.REVIEWER, tree.county)
    assert set(parcel_selectors.packages_stocked_by(county_editor)) == {package, township_package}
    assert set(parcel_selectors.packages_stocked_by(township_editor)) == {township_package}
    assert set(parcel_selectors.packages_stocked_by(org_admin_a)) == {township_package}
    assert not parcel_selectors.packages_stocked_by(reviewer).exists()


def test_dispatch_scope_is_the_members_the_user_keeps(tree, members, package, user_with_role):
    made = {m: request_for(with_login(m), package) for m in (members.a1, members.b1)}
    Pairing.objects.create(origin=tree.county, host=tree.host_branch, signed_on="2024-01-01")
    host_admin = user_with_role(Role.ORG_ADMIN, tree.host_branch)
    village_admin = user_with_role(Role.ORG_ADMIN, tree.village_a2)
    assert list(parcel_selectors.requests_dispatchable_by(host_admin)) == [made[members.b1]]
    assert not parcel_selectors.requests_dispatchable_by(village_admin).exists()
