"""Fixtures for the CMS tests: publishing sections and a logged-in member."""

from types import SimpleNamespace

import pytest

from portal.models import Organization
from portal.registry.factories import MemberFactory, OrganizationFactory, UserFactory

Level, Kind = Organization.Level, Organization.Kind


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    """Uploaded images, documents and videos go to a temporary folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sections(db):
    """A publishing county with a publishing township, a village below it, and a second
    publishing township: three sections of the site."""
    county = OrganizationFactory(
        name="测试县委", code="C", kind=Kind.COMMITTEE, level=Level.COUNTY, publishes=True
    )
    township = OrganizationFactory(
        parent=county,
        name="甲镇党委",
        code="A",
        kind=Kind.COMMITTEE,
        level=Level.TOWNSHIP,
        publishes=True,
    )
    village = OrganizationFactory(parent=township, name="甲一村党支部", code="A1")
    other = OrganizationFactory(
        parent=county,
        name="乙乡党委",
        code="B",
        kind=Kind.COMMITTEE,
        level=Level.TOWNSHIP,
        publishes=True,
    )
    return SimpleNamespace(
        county=county.section,
        township=township.section,
        other=other.section,
        village=village,
    )


@pytest.fixture
def member_client(client, sections):
    """A client logged in as a member of the village branch."""
    user = UserFactory(username="13900000001")
    MemberFactory(name="龙建华", origin=sections.village, phone="13900000001", user=user)
    client.force_login(user)
    return client
