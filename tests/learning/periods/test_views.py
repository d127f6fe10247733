import pytest
from django.urls import reverse

from learning.models import QuarterlyPublication
from portal.models import Role
from portal.registry.factories import UserFactory


@pytest.fixture
def logins(members):
    for member in (members.a1, members.b1):
        member.user = UserFactory()
        member.save()
    return members


def _publication(organization, user=None):
    return QuarterlyPublication.objects.create(
        organization=organization, year=2026, quarter=3, published_by=user
    )


def _get(client, user, publication):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("learning:publication", kwargs={"pk": publication.pk}))


def test_the_org_admin_and_the_members_of_the_subtree_see_the_list(
    client, tree, logins, org_admin_a
):
    publication = _publication(tree.township_a, org_admin_a)
    for user in (org_admin_a, logins.a1.user):
        response = _get(client, user, publication)
        assert response.status_code == 200
        assert logins.a1.name in response.content.decode()
        assert logins.a2.name in response.content.decode()
        assert logins.a1.phone not in response.content.decode()
        assert logins.b1.name not in response.content.decode()


def test_others_get_a_404(client, tree, logins, user_with_role):
    publication = _publication(tree.township_a)
    admin_b = user_with_role(Role.ORG_ADMIN, tree.township_b)
    editor_a = user_with_role(Role.EDITOR, tree.township_a)
    for user in (logins.b1.user, admin_b, editor_a):
        assert _get(client, user, publication).status_code == 404
        client.logout()
    assert _get(client, None, publication).status_code == 302  # to the login page


def test_a_host_branch_publication_is_seen_by_the_members_it_hosts(client, tree, logins):
    """Dual management: the member of village B1 living at the host branch is listed on, and
    may read, the host branch's publication."""
    publication = _publication(tree.host_branch)
    response = _get(client, logins.b1.user, publication)
    assert response.status_code == 200
    assert [row.name for row in response.context["rows"]] == [logins.b1.name]
