"""Dual management (双向共管): who sees and who changes a floating member, per side.

A host-side organisation sees the members of its paired origin organisations who live in its
area, and nothing more; the member's core ledger data stays with the origin side.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from portal.models import Organization, Role
from portal.registry import services
from portal.registry.factories import MemberFactory, OrganizationFactory, UserFactory
from portal.registry.selectors import members_kept_at_origin, members_visible_to

SIGNED = datetime.date(2025, 1, 1)
Level, Kind = Organization.Level, Organization.Kind


@pytest.fixture
def sides(tree, members, user_with_role):
    """Township B is paired with the Shenzhen temporary branch, which hosts B1's member; a
    second temporary branch in Shenzhen hosts A1's member, whose township has no pairing."""
    other_branch = OrganizationFactory(
        parent=tree.centre,
        name="驻深圳第二临时党支部",
        code="H2",
        kind=Kind.TEMPORARY_BRANCH,
        level=Level.HOST_UNIT,
        city="深圳",
    )
    members.a1.host = other_branch
    members.a1.save()
    services.pairing_create(origin=tree.township_b, host=tree.host_branch, signed_on=SIGNED)
    return other_branch


def test_origin_admin_keeps_their_own_members_wherever_they_live(tree, members, sides, org_admin_a):
    """Township A's secretary sees A1 (hosted in Shenzhen) and A2, not B1."""
    assert set(members_visible_to(org_admin_a)) == {members.a1, members.a2}
    assert set(members_kept_at_origin(org_admin_a)) == {members.a1, members.a2}


def test_paired_host_branch_sees_the_paired_members_it_hosts(tree, members, sides, user_with_role):
    """The paired temporary branch sees B1's member, who lives there, and nobody else."""
    secretary = user_with_role(Role.ORG_ADMIN, tree.host_branch)
    assert list(members_visible_to(secretary)) == [members.b1]
    assert not members_kept_at_origin(secretary).exists()


def test_unpaired_host_branch_sees_nobody(tree, members, sides, user_with_role):
    """A1's member lives at the second branch, but township A signed no pairing."""
    secretary = user_with_role(Role.ORG_ADMIN, sides)
    assert not members_visible_to(secretary).exists()


def test_paired_branch_does_not_see_a_paired_member_living_elsewhere(tree, members, user_with_role):
    """Paired with township B, the branch still sees only the members living in its area."""
    services.pairing_create(origin=tree.township_b, host=tree.host_branch, signed_on=SIGNED)
    elsewhere = OrganizationFactory(
        parent=tree.centre,
        code="H3",
        kind=Kind.TEMPORARY_BRANCH,
        level=Level.HOST_UNIT,
        city="深圳",
    )
    MemberFactory(origin=tree.village_b1, host=elsewhere, host_city="深圳")
    secretary = user_with_role(Role.ORG_ADMIN, tree.host_branch)
    assert list(members_visible_to(secretary)) == [members.b1]


def test_a_pairing_made_by_the_service_centre_covers_its_branches(tree, members, user_with_role):
    """A pairing signed by the city's service centre covers the temporary branches below it."""
    services.pairing_create(origin=tree.village_b1, host=tree.centre, signed_on=SIGNED)
    secretary = user_with_role(Role.ORG_ADMIN, tree.host_branch)
    assert list(members_visible_to(secretary)) == [members.b1]
    centre_secretary = user_with_role(Role.ORG_ADMIN, tree.centre)
    assert list(members_visible_to(centre_secretary)) == [members.b1]


def test_a_pairing_below_the_admins_branch_covers_only_its_own_subtree(
    tree, members, user_with_role
):
    """The centre's secretary sees what the branches under it are paired for, no more."""
    other_branch = OrganizationFactory(
        parent=tree.centre,
        code="H4",
        kind=Kind.TEMPORARY_BRANCH,
        level=Level.HOST_UNIT,
        city="深圳",
    )
    MemberFactory(origin=tree.village_b1, host=other_branch, host_city="深圳")
    services.pairing_create(origin=tree.township_b, host=tree.host_branch, signed_on=SIGNED)
    centre_secretary = user_with_role(Role.ORG_ADMIN, tree.centre)
    assert list(members_visible_to(centre_secretary)) == [members.b1]


def test_member_and_anonymous_see_no_member(tree, members, sides, user_with_role):
    """A member's login and a visitor keep nobody's record."""
    member_user = user_with_role(Role.MEMBER, tree.village_b1)
    for user in (member_user, AnonymousUser(), UserFactory()):
        assert not members_visible_to(user).exists()
        assert not members_kept_at_origin(user).exists()


# --- What each side may change in the admin ---------------------------------------------


def test_host_admin_inspects_but_cannot_edit_or_delete(
    client, tree, members, sides, user_with_role
):
    """Core ledger data (ID, origin) stays with the origin side: edit and delete are 404."""
    client.force_login(user_with_role(Role.ORG_ADMIN, tree.host_branch))
    pk = members.b1.pk
    assert client.get(reverse("portal_member:inspect", args=[pk])).status_code == 200
    assert client.get(reverse("portal_member:edit", args=[pk])).status_code == 404
    assert client.post(reverse("portal_member:edit", args=[pk]), {"name": "x"}).status_code == 404
    assert client.get(reverse("portal_member:delete", args=[pk])).status_code == 404
    assert client.post(reverse("portal_member:activation", args=[pk])).status_code == 404
    members.b1.refresh_from_db()
    assert members.b1.name == "乙一党员"


def test_host_admin_list_links_to_the_read_only_view(client, tree, members, sides, user_with_role):
    """The ledger list offers the host side the inspect view, not the edit form."""
    client.force_login(user_with_role(Role.ORG_ADMIN, tree.host_branch))
    html = client.get(reverse("portal_member:index")).content.decode()
    assert reverse("portal_member:inspect", args=[members.b1.pk]) in html
    assert reverse("portal_member:edit", args=[members.b1.pk]) not in html


def test_origin_admin_still_edits_a_hosted_member(client, tree, members, sides, user_with_role):
    """The origin side edits its member even while the member lives at a paired host."""
    client.force_login(user_with_role(Role.ORG_ADMIN, tree.township_b))
    assert client.get(reverse("portal_member:edit", args=[members.b1.pk])).status_code == 200
    html = client.get(reverse("portal_member:index")).content.decode()
    assert reverse("portal_member:edit", args=[members.b1.pk]) in html
