from types import SimpleNamespace

import pytest

from portal.models import Organization, Role
from portal.registry import services
from portal.registry.factories import MemberFactory, OrganizationFactory, UserFactory

Level, Kind = Organization.Level, Organization.Kind


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached sites and page fragments stay its own."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def tree(db):
    """A county with two townships, three villages, and a host city with one temporary branch."""
    county = OrganizationFactory(name="测试县委", code="C", kind=Kind.COMMITTEE, level=Level.COUNTY)
    township_a = OrganizationFactory(
        parent=county, name="甲镇党委", code="A", kind=Kind.COMMITTEE, level=Level.TOWNSHIP
    )
    township_b = OrganizationFactory(
        parent=county, name="乙乡党委", code="B", kind=Kind.COMMITTEE, level=Level.TOWNSHIP
    )
    village_a1 = OrganizationFactory(parent=township_a, name="甲一村党支部", code="A1")
    village_a2 = OrganizationFactory(parent=township_a, name="甲二村党支部", code="A2")
    village_b1 = OrganizationFactory(parent=township_b, name="乙一村党支部", code="B1")
    centre = OrganizationFactory(
        parent=county,
        name="驻深圳服务中心",
        code="H",
        kind=Kind.SERVICE_CENTRE,
        level=Level.HOST_CITY,
        city="深圳",
    )
    host_branch = OrganizationFactory(
        parent=centre,
        name="驻深圳临时党支部",
        code="H1",
        kind=Kind.TEMPORARY_BRANCH,
        level=Level.HOST_UNIT,
        city="深圳",
    )
    return SimpleNamespace(
        county=county,
        township_a=township_a,
        township_b=township_b,
        village_a1=village_a1,
        village_a2=village_a2,
        village_b1=village_b1,
        centre=centre,
        host_branch=host_branch,
    )


@pytest.fixture
def user_with_role(db):
    def make(role: str, organization, username: str | None = None):
        user = UserFactory(**({"username": username} if username else {}))
        services.role_grant(user=user, role=role, organization=organization, actor=None)
        return user

    return make


@pytest.fixture
def members(tree):
    """One member in each village; the member of B1 currently lives at the host branch."""
    return SimpleNamespace(
        a1=MemberFactory(name="甲一党员", origin=tree.village_a1),
        a2=MemberFactory(name="甲二党员", origin=tree.village_a2),
        b1=MemberFactory(
            name="乙一党员", origin=tree.village_b1, host=tree.host_branch, host_city="深圳"
        ),
    )


@pytest.fixture
def org_admin_a(tree, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.township_a, "admin_a")
