"""A host branch, the township it is paired with, and meetings on both sides."""

import datetime

import pytest
from django.utils import timezone

from portal.meetings import services
from portal.models import Meeting, Role
from portal.registry import services as registry
from portal.registry.factories import MemberFactory, UserFactory


@pytest.fixture
def people(tree, members, user_with_role):
    """乙一党员 (origin 乙一村, lives at 驻深圳临时党支部, paired with 乙乡) with a login; the
    secretaries of both sides and of an unrelated township."""
    registry.pairing_create(
        origin=tree.township_b, host=tree.host_branch, signed_on=datetime.date(2024, 1, 1)
    )
    for member in (members.a1, members.b1):
        member.user = UserFactory(username=member.phone)
        member.save(update_fields=["user"])
    return {
        "origin": user_with_role(Role.ORG_ADMIN, tree.village_b1, "origin_admin"),
        "host": user_with_role(Role.ORG_ADMIN, tree.host_branch, "host_admin"),
        "unrelated": user_with_role(Role.ORG_ADMIN, tree.township_a, "unrelated_admin"),
        "member": members.b1.user,
        "other_member": members.a1.user,
    }


@pytest.fixture
def plan(tree, people):
    """Plan a meeting starting ``starts_in`` from now, at the host branch unless told."""

    def make(starts_in=datetime.timedelta(hours=2), organization=None, **fields):
        starts_at = timezone.now() + starts_in
        values = {
            "organization": organization or tree.host_branch,
            "kind": Meeting.Kind.THEME_DAY,
            "title": "十二月主题党日",
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(hours=2),
            "place": "深圳市宝安区党群服务中心",
            **fields,
        }
        return services.meeting_plan(user=people["host"], **values)

    return make


@pytest.fixture
def unpaired_member(tree):
    """Lives at the host branch, but from a township with no pairing there."""
    return MemberFactory(name="甲二流动", origin=tree.village_a2, host=tree.host_branch)
