import datetime

from portal.models import Role
from portal.registry import services
from portal.registry.factories import UserFactory
from portal.registry.selectors import members_visible_to, organizations_managed_by

SIGNED = datetime.date(2025, 1, 1)


def test_org_admin_sees_their_subtree_only(tree, members, org_admin_a):
    assert set(members_visible_to(org_admin_a)) == {members.a1, members.a2}
    assert tree.township_b not in organizations_managed_by(org_admin_a)


def test_host_secretary_sees_members_hosted_there(tree, members, user_with_role):
    """Under a pairing with the member's origin side (dual management)."""
    services.pairing_create(origin=tree.township_b, host=tree.host_branch, signed_on=SIGNED)
    secretary = user_with_role(Role.ORG_ADMIN, tree.host_branch)
    assert list(members_visible_to(secretary)) == [members.b1]


def test_village_secretary_sees_one_village(tree, members, user_with_role):
    secretary = user_with_role(Role.ORG_ADMIN, tree.village_a2)
    assert list(members_visible_to(secretary)) == [members.a2]


def test_other_roles_see_no_members(tree, members, user_with_role):
    for role in (Role.EDITOR, Role.REVIEWER, Role.RECRUITER, Role.MEMBER):
        assert not members_visible_to(user_with_role(role, tree.county)).exists()


def test_inactive_admin_sees_nothing(tree, members, org_admin_a):
    org_admin_a.is_active = False
    assert not members_visible_to(org_admin_a).exists()


def test_superuser_sees_everyone(tree, members):
    assert members_visible_to(UserFactory(is_superuser=True)).count() == 3
