"""Organisations, pairings and role assignments in the Wagtail admin, per role: who sees, adds
and shares which organisations."""

from django.urls import reverse

from portal.models import Role
from portal.registry.factories import UserFactory


def test_organisation_list_and_parent_choice_are_scoped(client, tree, org_admin_a):
    client.force_login(org_admin_a)
    text = client.get(reverse("portal_organization:index")).content.decode()
    assert "甲一村党支部" in text and "乙一村党支部" not in text
    response = client.post(
        reverse("portal_organization:add"),
        {
            "parent": tree.township_b.pk,
            "name": "越权村党支部",
            "code": "B9",
            "kind": "branch",
            "level": "village",
            "city": "",
            "contact_name": "",
        },
    )
    assert response.status_code == 200
    response = client.post(
        reverse("portal_organization:add"),
        {
            "parent": tree.township_a.pk,
            "name": "甲三村党支部",
            "code": "A3",
            "kind": "branch",
            "level": "village",
            "city": "",
            "contact_name": "",
        },
    )
    assert response.status_code == 302
    tree.township_a.refresh_from_db()
    assert [child.code for child in tree.township_a.get_children()] == ["A1", "A2", "A3"]


def test_org_admin_shares_their_subtree_only(client, tree, org_admin_a, members):
    """The colleague is a member the admin keeps (a staff user with no role in the subtree is
    not offered: a superuser grants its first role)."""
    colleague = UserFactory(username="colleague")
    members.a1.user = colleague
    members.a1.save(update_fields=["user"])
    client.force_login(org_admin_a)
    url = reverse("portal_role:add")
    refused = client.post(
        url, {"user": colleague.pk, "role": Role.ORG_ADMIN, "organization": tree.township_b.pk}
    )
    assert refused.status_code == 200
    assert not colleague.role_assignments.exists()
    client.post(
        url, {"user": colleague.pk, "role": Role.ORG_ADMIN, "organization": tree.village_a1.pk}
    )
    assignment = colleague.role_assignments.get()
    assert colleague.has_perm("portal.change_member")
    text = client.get(reverse("portal_role:index")).content.decode()
    assert "colleague" in text
    client.post(reverse("portal_role:delete", args=[assignment.pk]))
    colleague = type(colleague).objects.get(pk=colleague.pk)
    assert not colleague.role_assignments.exists()
    assert not colleague.has_perm("portal.change_member")


def test_org_admin_cannot_touch_grants_outside_their_subtree(
    client, tree, org_admin_a, user_with_role
):
    outsider = user_with_role(Role.EDITOR, tree.township_b, "editor_b")
    assignment = outsider.role_assignments.get()
    client.force_login(org_admin_a)
    assert "editor_b" not in client.get(reverse("portal_role:index")).content.decode()
    assert client.post(reverse("portal_role:delete", args=[assignment.pk])).status_code == 404
    assert outsider.role_assignments.exists()


def test_pairing_and_role_lists_search_inside_the_scope(client, tree, org_admin_a, user_with_role):
    user_with_role(Role.EDITOR, tree.village_a1, "editor_jia")
    user_with_role(Role.EDITOR, tree.village_a2, "editor_yi")
    client.force_login(org_admin_a)
    text = client.get(reverse("portal_role:index"), {"q": "editor_jia"}).content.decode()
    assert "editor_jia" in text and "editor_yi" not in text
