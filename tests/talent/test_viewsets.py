"""The talent pool in the admin, per role: who sees which profiles, masking, base searches."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from portal.models import Role
from talent.models import BaseSearch
from talent.services import consent_record, profile_create

PHONE = "13900000077"
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def pool(tree, members):
    """A non-member from village A1, one from B1, a consenting member and one who did not."""
    a1 = profile_create(
        name="甲村人才",
        id_number=ID_NUMBER,
        phone=PHONE,
        hometown_township=tree.township_a,
        hometown_village=tree.village_a1,
    )
    b1 = profile_create(name="乙村人才", hometown_village=tree.village_b1)
    consenting = consent_record(
        profile=profile_create(member=members.a2, hometown_village=tree.village_a2)
    )
    silent = profile_create(member=members.b1, hometown_village=tree.village_b1)
    return a1, b1, consenting, silent


def _listed(client) -> set:
    response = client.get(reverse("talent_profile:index"))
    assert response.status_code == 200
    return set(response.context["object_list"])


def test_a_county_recruiter_sees_the_pool_with_numbers_masked(client, pool, tree, user_with_role):
    """Everyone in the pool is listed, but not a member who has not consented."""
    a1, b1, consenting, silent = pool
    client.force_login(user_with_role(Role.RECRUITER, tree.county))
    assert _listed(client) == {a1, b1, consenting}
    html = client.get(reverse("talent_profile:index")).content.decode()
    assert PHONE not in html and ID_NUMBER not in html
    assert a1.masked_phone in html and a1.masked_id_number in html
    assert client.get(reverse("talent_profile:inspect", args=[silent.pk])).status_code == 404
    detail = client.get(reverse("talent_profile:inspect", args=[a1.pk]))
    assert detail.status_code == 200
    assert PHONE not in detail.content.decode() and ID_NUMBER not in detail.content.decode()
    assert client.get(reverse("talent_profile:edit", args=[a1.pk])).status_code in (302, 403)


def test_a_township_recruiter_sees_only_people_from_there(client, pool, tree, user_with_role):
    a1, b1, consenting, _silent = pool
    client.force_login(user_with_role(Role.RECRUITER, tree.township_a))
    assert _listed(client) == {a1, consenting}
    assert client.get(reverse("talent_profile:inspect", args=[b1.pk])).status_code == 404


def test_a_county_org_admin_keeps_the_base_searches(client, pool, tree, user_with_role):
    """The county admin edits the eligibility rule a recruiter starts from."""
    client.force_login(user_with_role(Role.ORG_ADMIN, tree.county))
    a1 = pool[0]
    assert client.get(reverse("talent_profile:edit", args=[a1.pk])).status_code == 200
    response = client.post(
        reverse("talent_base_search:add"),
        {
            "name": "村两委基本条件",
            "max_age": "45",
            "min_education": "2",
            "min_grade": "qualified",
            "exclude_negative_list": "on",
            "filters": '{"willingness": ["yes"]}',
        },
    )
    assert response.status_code == 302
    rule = BaseSearch.objects.get()
    assert (rule.max_age, rule.filters) == (45, {"willingness": ["yes"]})


def test_a_recruiter_reads_but_does_not_edit_base_searches(client, tree, user_with_role):
    BaseSearch.objects.create(name="村两委基本条件")
    client.force_login(user_with_role(Role.RECRUITER, tree.county))
    assert client.get(reverse("talent_base_search:index")).status_code == 200
    assert client.get(reverse("talent_base_search:add")).status_code in (302, 403)
    assert not BaseSearch.objects.exclude(name="村两委基本条件").exists()


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.MEMBER])
def test_village_secretaries_and_members_are_refused(client, pool, tree, user_with_role, role):
    """A village branch secretary or a member does not reach the pool."""
    client.force_login(user_with_role(role, tree.village_a1))
    response = client.get(reverse("talent_profile:index"))
    assert response.status_code in (302, 403)
    assert client.get(reverse("talent_base_search:index")).status_code in (302, 403)


def test_a_county_org_admin_lists_every_profile_with_its_consent(
    client, pool, tree, user_with_role
):
    """A member's profile waiting for consent is listed for the county admin (who records
    consent) with its state, and can be edited; a recruiter still never sees it."""
    a1, _b1, consenting, silent = pool
    client.force_login(user_with_role(Role.ORG_ADMIN, tree.county))
    assert _listed(client) == set(pool)
    response = client.get(reverse("talent_profile:index"))
    html = response.content.decode()
    assert gettext("Not recorded") in html and gettext("Given") in html
    assert reverse("talent_profile:consent", args=[silent.pk]) in html
    assert reverse("talent_profile:negative_list", args=[a1.pk]) in html
    assert reverse("talent_profile:consent", args=[a1.pk]) not in html  # not a member
    assert PHONE not in html and ID_NUMBER not in html
    assert client.get(reverse("talent_profile:edit", args=[silent.pk])).status_code == 200
    page = client.get(reverse("talent_profile:inspect", args=[consenting.pk])).content.decode()
    assert "data-talent-admin" in page
    assert reverse("talent_profile:consent", args=[consenting.pk]) in page


def test_a_recruiter_gets_no_admin_steps(client, pool, tree, user_with_role):
    """No consent column, no consent or negative-list links, no import button."""
    a1 = pool[0]
    client.force_login(user_with_role(Role.RECRUITER, tree.county))
    html = client.get(reverse("talent_profile:index")).content.decode()
    assert gettext("Not recorded") not in html
    assert reverse("talent_profile:negative_list", args=[a1.pk]) not in html
    assert reverse("talent_profile:import") not in html
    page = client.get(reverse("talent_profile:inspect", args=[a1.pk])).content.decode()
    assert "data-talent-admin" not in page
