"""Who may grant which role to whom (issue 14): nobody to themselves, recruiter, editor and
reviewer only from a county's org admin, every grant and revocation in the admin's log, and a
user chooser that shows only the people the admin keeps, with member phones masked."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from portal.models import Role, RoleAssignment
from portal.registry import services
from portal.registry.factories import UserFactory

ADD = "portal_role:add"
COUNTY_ROLES = [Role.RECRUITER, Role.EDITOR, Role.REVIEWER]


def _with_login(member):
    member.user = UserFactory(username=member.phone, first_name=member.name)
    member.save(update_fields=["user"])
    return member.user


def _grant(client, user, role: str, organization):
    """POST the admin's Roles form, as an org admin does."""
    data = {"user": user.pk, "role": role, "organization": organization.pk}
    return client.post(reverse(ADD), data)


@pytest.fixture
def township_admin(tree, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.township_a, "township_admin")


@pytest.fixture
def secretary(tree, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.village_a1, "secretary")


@pytest.fixture
def county_admin(tree, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.county, "county_admin")


@pytest.mark.parametrize("who", ["township_admin", "secretary"])
@pytest.mark.parametrize("role", [*COUNTY_ROLES, Role.MEMBER])
def test_nobody_grants_a_role_to_themselves_through_the_admin(client, tree, request, who, role):
    admin = request.getfixturevalue(who)
    client.force_login(admin)
    response = _grant(client, admin, role, tree.village_a1)
    assert response.status_code == 200
    # Below the county the form offers no recruiter, editor or reviewer at all.
    expected = "role" if role in COUNTY_ROLES else "user"
    assert expected in response.context["form"].errors
    assert not RoleAssignment.objects.filter(user=admin, role=role, organization=tree.village_a1)
    assert not ModelLogEntry.objects.filter(action=services.LOG_ROLE_GRANT, user=admin).exists()


@pytest.mark.parametrize("role", COUNTY_ROLES)
def test_a_county_admin_cannot_grant_a_role_to_themselves(client, tree, county_admin, role):
    client.force_login(county_admin)
    response = _grant(client, county_admin, role, tree.county)
    assert response.status_code == 200
    assert "user" in response.context["form"].errors
    assert not county_admin.role_assignments.filter(role=role).exists()


@pytest.mark.parametrize("role", COUNTY_ROLES)
def test_a_township_admin_cannot_grant_recruiter_editor_or_reviewer(
    client, tree, members, township_admin, role
):
    colleague = _with_login(members.a1)
    client.force_login(township_admin)
    response = _grant(client, colleague, role, tree.township_a)
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not colleague.role_assignments.filter(role=role).exists()


def test_a_township_admin_still_shares_org_admin_within_the_subtree(
    client, tree, members, township_admin
):
    colleague = _with_login(members.a1)
    client.force_login(township_admin)
    response = _grant(client, colleague, Role.ORG_ADMIN, tree.village_a1)
    assert response.status_code == 302
    assert colleague.role_assignments.filter(role=Role.ORG_ADMIN).exists()


def test_a_county_admin_grants_recruiter_and_both_changes_are_logged(
    client, tree, members, county_admin
):
    recruiter = _with_login(members.a1)
    client.force_login(county_admin)
    response = _grant(client, recruiter, Role.RECRUITER, tree.township_a)
    assert response.status_code == 302
    assignment = recruiter.role_assignments.get(role=Role.RECRUITER)
    granted = ModelLogEntry.objects.get(action=services.LOG_ROLE_GRANT, user=county_admin)
    assert granted.object_id == str(assignment.pk)
    assert granted.data["role"] == Role.RECRUITER
    assert granted.data["organization"] == tree.township_a.name
    assert members.a1.phone not in granted.label + str(granted.data)
    assert members.a1.masked_phone in granted.label

    response = client.post(reverse("portal_role:delete", args=[assignment.pk]))
    assert response.status_code == 302
    assert not recruiter.role_assignments.filter(role=Role.RECRUITER).exists()
    revoked = ModelLogEntry.objects.get(action=services.LOG_ROLE_REVOKE, user=county_admin)
    assert revoked.object_id == str(assignment.pk) and revoked.timestamp >= granted.timestamp

    history = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert tree.township_a.name in history and members.a1.phone not in history


def test_a_township_admin_cannot_revoke_a_recruiter_granted_by_the_county(
    client, tree, members, township_admin, county_admin
):
    recruiter = _with_login(members.a1)
    assignment = services.role_grant(
        user=recruiter, role=Role.RECRUITER, organization=tree.township_a, actor=county_admin
    )
    client.force_login(township_admin)
    client.post(reverse("portal_role:delete", args=[assignment.pk]))
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert not ModelLogEntry.objects.filter(action=services.LOG_ROLE_REVOKE).exists()


def test_the_services_refuse_whoever_calls_them(tree, members, township_admin, county_admin):
    """The rule lives in the services: any caller, not only the admin form, obeys it."""
    other = _with_login(members.b1)
    with pytest.raises(ValidationError) as raised:
        services.role_grant(
            user=township_admin,
            role=Role.EDITOR,
            organization=tree.township_a,
            actor=township_admin,
        )
    assert "user" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        services.role_grant(
            user=other, role=Role.ORG_ADMIN, organization=tree.township_b, actor=township_admin
        )
    assert "organization" in raised.value.message_dict
    for role in COUNTY_ROLES:
        with pytest.raises(ValidationError) as raised:
            services.role_grant(
                user=other, role=role, organization=tree.township_a, actor=township_admin
            )
        assert "role" in raised.value.message_dict
    assert not other.role_assignments.exists()
    with pytest.raises(ValidationError) as raised:
        services.role_revoke(
            user=county_admin, role=Role.ORG_ADMIN, organization=tree.county, actor=county_admin
        )
    assert "user" in raised.value.message_dict
    assert county_admin.role_assignments.filter(role=Role.ORG_ADMIN).exists()


def test_the_user_chooser_lists_only_kept_people_with_phones_masked(
    client, tree, members, township_admin, user_with_role
):
    kept = _with_login(members.a1)
    unkept = _with_login(members.b1)
    staff_inside = user_with_role(Role.EDITOR, tree.village_a2, "editor_inside")
    staff_outside = user_with_role(Role.EDITOR, tree.township_b, "editor_outside")
    client.force_login(township_admin)
    response = client.get(reverse(ADD))
    choices = set(response.context["form"].fields["user"].queryset)
    assert {kept, staff_inside, township_admin} <= choices
    assert not {unkept, staff_outside} & choices
    html = response.content.decode()
    assert members.a1.masked_phone in html
    assert members.a1.phone not in html and members.b1.phone not in html
    assert members.b1.masked_phone not in html


def test_the_role_list_masks_member_logins(client, tree, members, county_admin):
    member_login = _with_login(members.a1)
    services.role_grant(
        user=member_login, role=Role.MEMBER, organization=tree.village_a1, actor=None
    )
    client.force_login(county_admin)
    html = client.get(reverse("portal_role:index")).content.decode()
    assert members.a1.masked_phone in html and members.a1.phone not in html


def test_a_superuser_chooses_among_everyone(client, tree, members, admin_user):
    unkept = _with_login(members.b1)
    client.force_login(admin_user)
    response = client.get(reverse(ADD))
    assert unkept in set(response.context["form"].fields["user"].queryset)
    assert members.b1.phone not in response.content.decode()


def test_a_township_admin_cannot_make_themselves_admin_of_a_village(client, tree, township_admin):
    client.force_login(township_admin)
    response = _grant(client, township_admin, Role.ORG_ADMIN, tree.village_a1)
    assert "user" in response.context["form"].errors
    assert not township_admin.role_assignments.filter(organization=tree.village_a1).exists()
