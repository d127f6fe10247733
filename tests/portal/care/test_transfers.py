"""Transfers of the membership relation: the service's state machine and sides, the
notifications on commit, and who sees and moves a transfer in the admin."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from portal.care import notifications as care_notifications
from portal.care import services as care
from portal.models import Notification, Organization, Role, Transfer
from portal.registry.factories import OrganizationFactory, UserFactory


@pytest.fixture
def sides(tree, members, user_with_role):
    """The origin branch's secretary, the destination's, an unrelated village's secretary,
    a liaison and the member, with a login each."""
    members.a1.user = UserFactory(username=members.a1.phone)
    members.a1.save()
    return SimpleNamespace(
        origin=user_with_role(Role.ORG_ADMIN, tree.village_a1, "origin_secretary"),
        destination=user_with_role(Role.ORG_ADMIN, tree.village_b1, "destination_secretary"),
        unrelated=user_with_role(Role.ORG_ADMIN, tree.village_a2, "unrelated_secretary"),
        liaison=UserFactory(username="liaison"),
        member=members.a1.user,
    )


def submit(members, tree, sides, **kwargs):
    return care.transfer_submit(
        member=members.a1,
        destination=tree.village_b1,
        reason="回乡定居",
        user=sides.origin,
        **kwargs,
    )


def test_submit_accept_complete_moves_the_origin_and_records_every_step(tree, members, sides):
    """Each step is recorded with who and the comment; completing moves Member.origin."""
    transfer = submit(members, tree, sides)
    care.transfer_accept(transfer=transfer, user=sides.destination, comment="同意接收")
    care.transfer_complete(transfer=transfer, user=sides.origin, comment="已开介绍信")
    transfer.refresh_from_db()
    members.a1.refresh_from_db()
    assert transfer.state == Transfer.State.COMPLETED
    assert members.a1.origin == tree.village_b1
    steps = list(transfer.steps.values_list("state", "actor__username", "comment"))
    assert steps == [
        ("submitted", "origin_secretary", "回乡定居"),
        ("accepted", "destination_secretary", "同意接收"),
        ("completed", "origin_secretary", "已开介绍信"),
    ]


def test_a_rejection_needs_a_reason_and_ends_the_transfer(tree, members, sides):
    transfer = submit(members, tree, sides)
    with pytest.raises(ValidationError) as caught:
        care.transfer_reject(transfer=transfer, user=sides.destination, reason=" ")
    assert "comment" in caught.value.message_dict
    care.transfer_reject(transfer=transfer, user=sides.destination, reason="不属本支部")
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.REJECTED
    members.a1.refresh_from_db()
    assert members.a1.origin == tree.village_a1
    submit(members, tree, sides)  # a rejected transfer no longer blocks a new one


@pytest.mark.parametrize(
    ("moves", "illegal"),
    [
        ([], "complete"),  # not accepted yet
        (["accept"], "accept"),
        (["accept"], "reject"),
        (["reject"], "accept"),
        (["reject"], "complete"),
        (["accept", "complete"], "reject"),
    ],
)
def test_illegal_moves_are_refused_with_a_clear_error(tree, members, sides, moves, illegal):
    """Anything but submitted → accepted → completed or submitted → rejected is refused and
    changes nothing."""
    transfer = submit(members, tree, sides)
    actions = {
        "accept": lambda: care.transfer_accept(transfer=transfer, user=sides.destination),
        "reject": lambda: care.transfer_reject(
            transfer=transfer, user=sides.destination, reason="否"
        ),
        "complete": lambda: care.transfer_complete(transfer=transfer, user=sides.origin),
    }
    for move in moves:
        actions[move]()
    state_before = Transfer.objects.get(pk=transfer.pk).state
    steps_before = transfer.steps.count()
    with pytest.raises(ValidationError) as caught:
        actions[illegal]()
    assert str(Transfer.State(state_before).label) in caught.value.messages[0]
    assert Transfer.objects.get(pk=transfer.pk).state == state_before
    assert transfer.steps.count() == steps_before


def test_each_step_belongs_to_its_side(tree, members, sides):
    """The origin cannot accept for the destination; the destination cannot complete; an
    unrelated secretary cannot submit or move anything."""
    with pytest.raises(PermissionDenied):
        care.transfer_submit(
            member=members.a1, destination=tree.village_b1, reason="x", user=sides.unrelated
        )
    transfer = submit(members, tree, sides)
    for user in (sides.origin, sides.unrelated, sides.liaison):
        with pytest.raises(PermissionDenied):
            care.transfer_accept(transfer=transfer, user=user)
    care.transfer_accept(transfer=transfer, user=sides.destination)
    for user in (sides.destination, sides.unrelated, sides.member):
        with pytest.raises(PermissionDenied):
            care.transfer_complete(transfer=transfer, user=user)
    assert Transfer.objects.get(pk=transfer.pk).state == Transfer.State.ACCEPTED


def test_one_open_transfer_per_member(tree, members, sides):
    submit(members, tree, sides)
    with pytest.raises(ValidationError) as caught:
        care.transfer_submit(
            member=members.a1, destination=tree.village_a2, reason="x", user=sides.origin
        )
    assert "member" in caught.value.message_dict
    assert Transfer.objects.count() == 1


def test_the_database_also_holds_one_open_transfer_per_member(tree, members):
    """The constraint stands behind the service's check, for two submissions at once."""
    Transfer.objects.create(
        member=members.a1, source=tree.village_a1, destination=tree.village_b1, reason="x"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(
            member=members.a1, source=tree.village_a1, destination=tree.village_a2, reason="y"
        )


def test_destination_must_be_a_home_side_branch_other_than_the_origin(tree, members, sides):
    for destination in (tree.host_branch, tree.township_b, tree.village_a1):
        with pytest.raises(ValidationError) as caught:
            care.transfer_submit(
                member=members.a1, destination=destination, reason="x", user=sides.origin
            )
        assert "destination" in caught.value.message_dict
    assert not Transfer.objects.exists()


def test_completing_after_the_origin_changed_is_refused(tree, members, sides):
    transfer = submit(members, tree, sides)
    care.transfer_accept(transfer=transfer, user=sides.destination)
    members.a1.origin = tree.village_a2
    members.a1.save()
    with pytest.raises(ValidationError):
        care.transfer_complete(transfer=transfer, user=sides.origin)
    assert Transfer.objects.get(pk=transfer.pk).state == Transfer.State.ACCEPTED
    members.a1.refresh_from_db()
    assert members.a1.origin == tree.village_a2


# --- Notifications ------------------------------------------------------------------------


def test_each_step_tells_the_other_side_once_after_commit(
    tree, members, sides, django_capture_on_commit_callbacks
):
    """Submitted: the destination's secretary; accepted: the origin's; completed: the
    destination's. A repeated task tells nobody twice; the unrelated secretary hears nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        transfer = submit(members, tree, sides)
    inbox = Notification.objects.filter(recipient=sides.destination)
    assert inbox.count() == 1
    assert inbox.get().url == reverse("portal_transfer:inspect", args=[transfer.pk])
    with django_capture_on_commit_callbacks(execute=True):
        care.transfer_accept(transfer=transfer, user=sides.destination)
    assert Notification.objects.filter(recipient=sides.origin).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        care.transfer_complete(transfer=transfer, user=sides.origin)
    care_notifications.transfer_notify(transfer_id=transfer.pk, state="completed")  # a retried task
    assert Notification.objects.filter(recipient=sides.destination).count() == 2
    assert not Notification.objects.filter(recipient=sides.unrelated).exists()


def test_a_refused_step_enqueues_nothing(tree, members, sides, django_capture_on_commit_callbacks):
    transfer = submit(members, tree, sides)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(PermissionDenied):
        care.transfer_accept(transfer=transfer, user=sides.origin)
    assert callbacks == []


def test_the_nearest_org_admins_are_told(tree, user_with_role):
    """A branch without its own secretary: its township's are told, not the county's."""
    user_with_role(Role.ORG_ADMIN, tree.county, "county_admin")
    township_admin = user_with_role(Role.ORG_ADMIN, tree.township_b, "township_b_admin")
    branch = OrganizationFactory(parent=tree.township_b, kind=Organization.Kind.BRANCH)
    assert care_notifications.nearest_org_admin_ids(branch) == [township_admin.pk]


# --- The admin, per role --------------------------------------------------------------------


@pytest.fixture
def transfer(tree, members, sides):
    return submit(members, tree, sides)


def test_both_sides_see_the_transfer_and_its_history(client, transfer, sides):
    for user in (sides.origin, sides.destination):
        client.force_login(user)
        listing = client.get(reverse("portal_transfer:index"))
        assert listing.status_code == 200
        assert transfer in listing.context["object_list"]
        page = client.get(reverse("portal_transfer:inspect", args=[transfer.pk]))
        assert page.status_code == 200
        assert [step.state for step in page.context["steps"]] == ["submitted"]


def test_only_the_destination_is_offered_accept_and_reject(client, transfer, sides):
    client.force_login(sides.destination)
    page = client.get(reverse("portal_transfer:inspect", args=[transfer.pk]))
    offered = [url for url, _label in page.context["actions"]]
    assert offered == [
        reverse("portal_transfer:act", args=[transfer.pk, "accept"]),
        reverse("portal_transfer:act", args=[transfer.pk, "reject"]),
    ]
    client.force_login(sides.origin)
    page = client.get(reverse("portal_transfer:inspect", args=[transfer.pk]))
    assert page.context["actions"] == []


def test_an_unrelated_secretary_sees_nothing_and_moves_nothing(client, transfer, sides):
    client.force_login(sides.unrelated)
    listing = client.get(reverse("portal_transfer:index"))
    assert transfer not in listing.context["object_list"]
    assert client.get(reverse("portal_transfer:inspect", args=[transfer.pk])).status_code == 404
    url = reverse("portal_transfer:act", args=[transfer.pk, "accept"])
    assert client.post(url, {"comment": ""}).status_code == 404
    assert Transfer.objects.get(pk=transfer.pk).state == Transfer.State.SUBMITTED


@pytest.mark.parametrize("who", ["liaison", "member"])
def test_a_liaison_or_the_member_cannot_open_transfers(client, transfer, sides, who):
    client.force_login(getattr(sides, who))
    assert client.get(reverse("portal_transfer:index")).status_code in (302, 403)
    url = reverse("portal_transfer:act", args=[transfer.pk, "accept"])
    assert client.post(url, {"comment": ""}).status_code in (302, 403)
    assert Transfer.objects.get(pk=transfer.pk).state == Transfer.State.SUBMITTED


def test_anonymous_is_sent_to_log_in(client, transfer):
    response = client.get(reverse("portal_transfer:inspect", args=[transfer.pk]))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_the_destination_rejects_with_a_reason_in_the_admin(client, transfer, sides):
    client.force_login(sides.destination)
    url = reverse("portal_transfer:act", args=[transfer.pk, "reject"])
    empty = client.post(url, {"comment": ""})
    assert empty.status_code == 200
    assert "comment" in empty.context["form"].errors
    done = client.post(url, {"comment": "不属本支部"})
    assert done.status_code == 302
    assert Transfer.objects.get(pk=transfer.pk).state == Transfer.State.REJECTED


def test_the_destination_cannot_complete_in_the_admin(client, transfer, sides):
    care.transfer_accept(transfer=transfer, user=sides.destination)
    client.force_login(sides.destination)
    url = reverse("portal_transfer:act", args=[transfer.pk, "complete"])
    refused = client.post(url, {"comment": ""})  # the admin turns a refusal into a redirect home
    assert refused.status_code == 302
    assert refused["Location"] == reverse("wagtailadmin_home")
    assert Transfer.objects.get(pk=transfer.pk).state == Transfer.State.ACCEPTED
    client.force_login(sides.origin)
    assert client.post(url, {"comment": ""}).status_code == 302
    assert Transfer.objects.get(pk=transfer.pk).state == Transfer.State.COMPLETED


def test_the_origin_submits_in_the_admin_only_for_members_of_its_branch(
    client, tree, members, sides
):
    client.force_login(sides.origin)
    url = reverse("portal_transfer:add")
    other = client.post(
        url, {"member": members.a2.pk, "destination": tree.village_b1.pk, "reason": "x"}
    )
    assert other.status_code == 200
    assert "member" in other.context["form"].errors
    ok = client.post(
        url, {"member": members.a1.pk, "destination": tree.village_b1.pk, "reason": "x"}
    )
    assert ok.status_code == 302
    assert Transfer.objects.get().member == members.a1
