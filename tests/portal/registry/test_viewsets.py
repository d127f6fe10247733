"""The member ledger in the Wagtail admin, per role: who sees, adds and changes which members."""

import datetime

import pytest
from django.urls import reverse

from portal.models import Member, Role
from portal.registry import services
from portal.registry.factories import UserFactory

MEMBER_DATA = {
    "name": "新登记党员",
    "id_number": "11010519491231002X",
    "gender": "",
    "birth_date": "",
    "phone": "13655556666",
    "joined_party_on": "1975-07-01",
    "floating_status": "floating",
    "floating_since": "2020-05-01",
    "host": "",
    "host_city": "深圳",
    "employer": "鹏城电子",
}


@pytest.fixture
def index_url():
    return reverse("portal_member:index")


def test_org_admin_lists_only_members_of_their_subtree(client, members, org_admin_a, index_url):
    client.force_login(org_admin_a)
    text = client.get(index_url).content.decode()
    assert "甲一党员" in text and "甲二党员" in text
    assert "乙一党员" not in text


def test_list_and_export_mask_personal_numbers(client, members, org_admin_a, index_url):
    client.force_login(org_admin_a)
    listing = client.get(index_url).content.decode()
    export = b"".join(client.get(index_url + "?export=csv").streaming_content).decode()
    for text in (listing, export):
        assert members.a1.phone not in text and members.a1.id_number not in text
        assert members.a1.masked_phone in text


def test_org_admin_cannot_open_a_member_outside_their_subtree(client, members, org_admin_a):
    client.force_login(org_admin_a)
    for name in ("edit", "inspect"):
        response = client.get(reverse(f"portal_member:{name}", args=[members.b1.pk]))
        assert response.status_code == 404
    response = client.post(
        reverse("portal_member:edit", args=[members.b1.pk]),
        {**MEMBER_DATA, "origin": members.b1.origin_id},
    )
    assert response.status_code == 404
    members.b1.refresh_from_db()
    assert members.b1.name == "乙一党员"


def test_org_admin_edits_a_member_of_their_subtree(client, members, org_admin_a):
    client.force_login(org_admin_a)
    data = {
        **MEMBER_DATA,
        "id_number": members.a1.id_number,
        "phone": members.a1.phone,
        "joined_party_on": "2010-07-01",
        "origin": members.a1.origin_id,
        "employer": "新单位",
    }
    response = client.post(reverse("portal_member:edit", args=[members.a1.pk]), data)
    assert response.status_code == 302
    members.a1.refresh_from_db()
    assert members.a1.employer == "新单位"


def test_org_admin_adds_a_member_only_to_their_own_branches(client, tree, org_admin_a):
    client.force_login(org_admin_a)
    url = reverse("portal_member:add")
    refused = client.post(url, {**MEMBER_DATA, "origin": tree.village_b1.pk})
    assert refused.status_code == 200
    assert not Member.objects.exists()
    accepted = client.post(url, {**MEMBER_DATA, "origin": tree.village_a1.pk})
    assert accepted.status_code == 302
    member = Member.objects.get()
    assert (member.gender, str(member.birth_date)) == ("female", "1949-12-31")


def test_bad_id_number_in_the_admin_is_reported_in_chinese(client, tree, org_admin_a):
    client.force_login(org_admin_a)
    response = client.post(
        reverse("portal_member:add"),
        {**MEMBER_DATA, "id_number": "110105194912310021", "origin": tree.village_a1.pk},
    )
    assert "身份证号" in response.content.decode()
    assert not Member.objects.exists()


def test_host_secretary_keeps_members_hosted_at_their_branch(client, tree, members, user_with_role):
    """Under a pairing, the host branch opens a member it hosts read-only; the core ledger
    data stays with the origin side, so the edit view is a 404."""
    services.pairing_create(
        origin=tree.township_b, host=tree.host_branch, signed_on=datetime.date(2025, 1, 1)
    )
    secretary = user_with_role(Role.ORG_ADMIN, tree.host_branch)
    client.force_login(secretary)
    assert client.get(reverse("portal_member:inspect", args=[members.b1.pk])).status_code == 200
    assert client.get(reverse("portal_member:edit", args=[members.b1.pk])).status_code == 404
    assert client.get(reverse("portal_member:inspect", args=[members.a1.pk])).status_code == 404


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER])
def test_content_roles_cannot_see_the_ledger(
    client, tree, members, user_with_role, role, index_url
):
    client.force_login(user_with_role(role, tree.county))
    assert client.get(index_url).status_code == 302  # sent back to the dashboard
    assert client.get(reverse("portal_member:edit", args=[members.a1.pk])).status_code == 302


@pytest.mark.parametrize("role", [Role.MEMBER])
def test_non_admin_roles_cannot_enter_the_admin(
    client, tree, members, user_with_role, role, index_url
):
    client.force_login(user_with_role(role, tree.county))
    response = client.get(index_url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- talent: recruiters enter the admin for the talent pool (talent/apps.py) -------------
def test_a_recruiter_in_the_admin_is_refused_the_member_registry(
    client, tree, members, user_with_role, index_url
):
    """The admin lets a recruiter in for the talent pool, never to the members' list."""
    client.force_login(user_with_role(Role.RECRUITER, tree.county))
    response = client.get(index_url)
    assert response.status_code == 302
    assert reverse("portal_member:index") not in response["Location"]
    assert members.a1.name not in client.get(response["Location"]).content.decode()


def test_org_admin_issues_an_activation_code_once(client, members, org_admin_a):
    client.force_login(org_admin_a)
    url = reverse("portal_member:activation", args=[members.a1.pk])
    response = client.post(url)
    assert response.status_code == 200
    code = response.context["code"]
    assert len(code) == 8 and code in response.content.decode()
    members.a1.refresh_from_db()
    assert members.a1.user.username == members.a1.phone
    assert client.post(reverse("portal_member:activation", args=[members.b1.pk])).status_code == 404


def test_superuser_sees_every_member(client, members, index_url):
    client.force_login(UserFactory(is_superuser=True))
    text = client.get(index_url).content.decode()
    assert all(name in text for name in ("甲一党员", "甲二党员", "乙一党员"))


def test_search_and_township_filter_stay_inside_the_subtree(client, tree, members, user_with_role):
    county_admin = user_with_role(Role.ORG_ADMIN, tree.county)
    township_admin = user_with_role(Role.ORG_ADMIN, tree.township_a)
    url = reverse("portal_member:index")
    client.force_login(county_admin)
    text = client.get(url, {"township": tree.township_b.pk}).content.decode()
    assert "乙一党员" in text and "甲一党员" not in text
    text = client.get(url, {"q": "党员"}).content.decode()
    assert all(name in text for name in ("甲一党员", "甲二党员", "乙一党员"))
    client.force_login(township_admin)
    text = client.get(url, {"q": "乙一"}).content.decode()
    assert "乙一党员" not in text
    text = client.get(url, {"township": tree.township_b.pk}).content.decode()
    assert "乙一党员" not in text  # a township outside the subtree is not a valid choice


def test_the_member_export_writes_formulas_as_text_and_numbers_masked(
    client, members, org_admin_a, index_url
):
    """A name or employer typed as a formula opens as text in the CSV and the XLSX, as in the
    project's own exports; ID and phone numbers stay masked there."""
    import csv
    import io

    from openpyxl import load_workbook

    Member.objects.filter(pk=members.a1.pk).update(
        name='=HYPERLINK("http://evil.example","点我")', employer="@SUM(1+1)"
    )
    client.force_login(org_admin_a)
    response = client.get(index_url + "?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    row = next(r for r in rows if "HYPERLINK" in r[0])
    assert row[0] == '\'=HYPERLINK("http://evil.example","点我")'
    assert "'@SUM(1+1)" in row
    assert members.a1.phone not in str(rows) and members.a1.id_number not in str(rows)
    response = client.get(index_url + "?export=xlsx")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert '\'=HYPERLINK("http://evil.example","点我")' in cells and "'@SUM(1+1)" in cells
    assert members.a1.masked_phone in cells and members.a1.phone not in cells


def test_a_member_outside_the_subtree_has_no_history_or_uses_and_no_member_has_a_copy_form(
    client, members, org_admin_a
):
    """The copy form was prefilled with any member's full ID and phone numbers, and history
    and usage opened for members the admin does not keep: the same 404 as edit now."""
    client.force_login(org_admin_a)
    for name in ("history", "history_results", "usage"):
        url = reverse(f"portal_member:{name}", args=[members.b1.pk])
        assert client.get(url).status_code == 404, name
        assert client.get(reverse(f"portal_member:{name}", args=[members.a1.pk])).status_code == 200
    copy = f"/admin/members/copy/{members.a1.pk}/"
    response = client.get(copy)
    assert response.status_code == 404
    assert members.a1.phone not in response.content.decode()
