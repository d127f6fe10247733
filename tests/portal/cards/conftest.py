"""Who is who around a floating member, for the admin tests of certificates and cards."""

import datetime

import pytest

from portal.models import Role
from portal.registry import services
from portal.registry.factories import UserFactory


@pytest.fixture
def people(tree, members, user_with_role):
    """Who is who around 乙一党员 (origin 乙一村, host 驻深圳临时党支部, paired with 乙乡)."""
    services.pairing_create(
        origin=tree.township_b, host=tree.host_branch, signed_on=datetime.date(2024, 1, 1)
    )
    member = members.b1
    member.user = UserFactory(username=member.phone)
    member.save(update_fields=["user"])
    return {
        "origin": user_with_role(Role.ORG_ADMIN, tree.village_b1, "origin_admin"),
        "host": user_with_role(Role.ORG_ADMIN, tree.host_branch, "host_admin"),
        "unrelated": user_with_role(Role.ORG_ADMIN, tree.township_a, "unrelated_admin"),
        "member": member.user,
    }
