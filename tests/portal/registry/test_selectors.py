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


def test_a_request_reads_each_role_once(tree, org_admin_a, django_assert_num_queries):
    """Menu items, permission policies and the view all ask; one query answers them."""
    from portal.registry.permissions import is_org_admin
    from portal.registry.selectors import holds_role, manages_a_county

    with django_assert_num_queries(1):
        for _ in range(3):
            assert holds_role(org_admin_a, Role.ORG_ADMIN)
            assert is_org_admin(org_admin_a)
            assert not manages_a_county(org_admin_a)
            organizations_managed_by(org_admin_a)
    assert set(organizations_managed_by(org_admin_a)) >= {tree.township_a, tree.village_a1}


def test_a_grant_and_a_revoke_are_seen_at_once(tree, org_admin_a):
    """The roles remembered on the user object are forgotten when theirs change."""
    from portal.registry.permissions import is_org_admin
    from portal.registry.selectors import holds_role

    assert not holds_role(org_admin_a, Role.RECRUITER)
    services.role_grant(user=org_admin_a, role=Role.RECRUITER, organization=tree.county, actor=None)
    assert holds_role(org_admin_a, Role.RECRUITER)
    assert is_org_admin(org_admin_a)
    services.role_revoke(
        user=org_admin_a, role=Role.ORG_ADMIN, organization=tree.township_a, actor=None
    )
    assert not is_org_admin(org_admin_a)
    assert not organizations_managed_by(org_admin_a).exists()
