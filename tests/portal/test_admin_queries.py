"""What an admin page costs in queries does not grow with the menu or the number of sections:
each role a user holds is read once a request, and one query tells which sections' approval
tasks they review (bench/admin_actions.py measures the CPU)."""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.content.services import section_create
from portal.models import Organization, Role
from portal.registry.factories import OrganizationFactory

ROLE_ROOTS = re.compile(
    r'^SELECT "portal_organization"\."id", "portal_organization"\."path", '
    r'"portal_organization"\."level" FROM "portal_organization" INNER JOIN '
    r'"portal_roleassignment" .*"portal_roleassignment"\."role" = \'(\w+)\''
)


def _queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return [query["sql"] for query in captured]


@pytest.mark.parametrize(
    ("role", "where", "path"),
    [
        (Role.ORG_ADMIN, "township_a", "/admin/"),
        (Role.ORG_ADMIN, "village_a1", "/admin/learning/dashboard/"),
        (Role.ORG_ADMIN, "township_a", "/admin/members/"),
        (Role.RECRUITER, "county", "/admin/talent/desk/"),
        (Role.EDITOR, "county", "/admin/"),
    ],
)
def test_an_admin_page_reads_each_role_once(client, tree, user_with_role, role, where, path):
    section_create(organization=tree.county)
    client.force_login(user_with_role(role, getattr(tree, where)))
    reads = Counter(
        match.group(1) for sql in _queries(client, path) if (match := ROLE_ROOTS.match(sql))
    )
    assert reads, "the page asks for the user's roles"
    assert max(reads.values()) == 1, reads


def test_the_admin_home_costs_the_same_for_three_sections_or_ten(client, tree, user_with_role):
    """A county reviewer reviews in every section: Wagtail asks each section's task."""
    for organization in (tree.county, tree.township_a, tree.township_b):
        section_create(organization=organization)
    client.force_login(user_with_role(Role.REVIEWER, tree.county))
    _queries(client, "/admin/")  # the first visit fills caches of its own
    few = len(_queries(client, "/admin/"))
    for number in range(7):
        township = OrganizationFactory(
            parent=tree.county,
            name=f"新镇{number}",
            code=f"N{number}",
            kind=Organization.Kind.COMMITTEE,
            level=Organization.Level.TOWNSHIP,
        )
        section_create(organization=township)
    assert len(_queries(client, "/admin/")) == few
