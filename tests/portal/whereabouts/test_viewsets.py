"""Whereabouts in the Wagtail admin, per role: verify, send back, enter, clear lost contact."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from portal.models import LostContact, Member, Role, WhereaboutsReport
from portal.registry import services
from portal.whereabouts.services import whereabouts_report_submit

INDEX = "portal_whereabouts:index"


def this_month():
    """The first of this month, read when the test runs (not at import)."""
    return timezone.localdate().replace(day=1)


def _report(member, **overrides):
    data = {"city": "深圳", "address": "宝安区 88 号", "phone": member.phone, **overrides}
    return whereabouts_report_submit(member=member, **data)


@pytest.fixture
def reports(members):
    """One report awaiting verification per member."""
    return {key: _report(getattr(members, key)) for key in ("a1", "a2", "b1")}


@pytest.fixture
def host_admin(tree, user_with_role):
    services.pairing_create(
        origin=tree.township_b, host=tree.host_branch, signed_on=datetime.date(2025, 1, 1)
    )
    return user_with_role(Role.ORG_ADMIN, tree.host_branch)


def _listed(client, **params):
    response = client.get(reverse(INDEX), params)
    assert response.status_code == 200
    return {report.pk for report in response.context["object_list"]}


def test_origin_admin_lists_the_reports_of_their_subtree(client, reports, org_admin_a):
    client.force_login(org_admin_a)
    assert _listed(client) == {reports["a1"].pk, reports["a2"].pk}


def test_the_list_filters_by_township_month_and_status(client, tree, reports, user_with_role):
    client.force_login(user_with_role(Role.ORG_ADMIN, tree.county))
    assert _listed(client, township=tree.township_b.pk) == {reports["b1"].pk}
    assert _listed(client, month=f"{this_month():%Y-%m}") == {r.pk for r in reports.values()}
    assert _listed(client, month="2020-01") == set()
    WhereaboutsReport.objects.filter(pk=reports["a1"].pk).update(
        status=WhereaboutsReport.Status.VERIFIED
    )
    assert reports["a1"].pk not in _listed(client)  # awaiting verification by default
    assert _listed(client, status=WhereaboutsReport.Status.VERIFIED) == {reports["a1"].pk}
    assert len(_listed(client, status="")) == 3


def test_origin_admin_verifies_and_the_ledger_follows(client, members, reports, org_admin_a):
    client.force_login(org_admin_a)
    url = reverse("portal_whereabouts:verify", args=[reports["a1"].pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    members.a1.refresh_from_db()
    assert members.a1.host_city == "深圳"
    assert WhereaboutsReport.objects.get(pk=reports["a1"].pk).verified_by == org_admin_a


def test_a_phone_clash_on_verification_is_shown_and_nothing_changes(client, members, org_admin_a):
    report = _report(members.a1, phone="13912345678", city="东莞")
    Member.objects.filter(pk=members.a2.pk).update(phone="13912345678")
    client.force_login(org_admin_a)
    response = client.post(reverse("portal_whereabouts:verify", args=[report.pk]))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    report.refresh_from_db()
    assert report.status == WhereaboutsReport.Status.SUBMITTED


def test_origin_admin_sends_back_with_a_reason(client, reports, org_admin_a):
    client.force_login(org_admin_a)
    url = reverse("portal_whereabouts:return", args=[reports["a2"].pk])
    response = client.post(url, {"return_reason": ""})
    assert "return_reason" in response.context["form"].errors
    assert client.post(url, {"return_reason": "请写明门牌号"}).status_code == 302
    report = WhereaboutsReport.objects.get(pk=reports["a2"].pk)
    assert (report.status, report.return_reason) == ("returned", "请写明门牌号")


def test_outside_the_scope_is_404(client, reports, org_admin_a):
    """Township A's secretary cannot open, verify or send back township B's report."""
    client.force_login(org_admin_a)
    pk = reports["b1"].pk
    for name in ("inspect", "verify", "return"):
        assert client.get(reverse(f"portal_whereabouts:{name}", args=[pk])).status_code == 404
    assert client.post(reverse("portal_whereabouts:verify", args=[pk])).status_code == 404
    assert WhereaboutsReport.objects.get(pk=pk).status == WhereaboutsReport.Status.SUBMITTED


def test_host_admin_does_not_verify(client, reports, host_admin):
    """Verification belongs to the origin branch, even for a member the host side keeps."""
    client.force_login(host_admin)
    assert _listed(client) == set()
    url = reverse("portal_whereabouts:verify", args=[reports["b1"].pk])
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER])
def test_content_roles_are_refused(client, tree, reports, user_with_role, role):
    client.force_login(user_with_role(role, tree.county))
    assert client.get(reverse(INDEX)).status_code in (302, 403)
    url = reverse("portal_whereabouts:verify", args=[reports["a1"].pk])
    assert client.post(url).status_code in (302, 403)
    assert WhereaboutsReport.objects.get(pk=reports["a1"].pk).status == "submitted"


def test_a_secretary_enters_a_report_on_behalf(client, members, org_admin_a):
    client.force_login(org_admin_a)
    data = {
        "member": members.a1.pk,
        "month": "2025-03",
        "city": "广州",
        "employer": "",
        "address": "天河区 1 号",
        "phone": members.a1.phone,
        "host": "",
    }
    assert client.get(reverse("portal_whereabouts:add")).status_code == 200
    assert client.post(reverse("portal_whereabouts:add"), data).status_code == 302
    report = WhereaboutsReport.objects.get(member=members.a1)
    assert (report.month, report.reported_by) == (datetime.date(2025, 3, 1), org_admin_a)


def test_a_secretary_cannot_enter_for_a_member_outside(client, members, org_admin_a):
    client.force_login(org_admin_a)
    data = {"member": members.b1.pk, "month": "2025-03", "city": "广州", "address": "x"}
    response = client.post(reverse("portal_whereabouts:add"), {**data, "phone": members.b1.phone})
    assert "member" in response.context["form"].errors
    assert not WhereaboutsReport.objects.exists()


# --- Lost contact ---------------------------------------------------------------------


@pytest.fixture
def flags(members):
    return {
        key: LostContact.objects.create(
            member=getattr(members, key),
            since=datetime.date(2025, 1, 1),
            flagged_on=datetime.date(2025, 4, 1),
        )
        for key in ("a1", "b1")
    }


def _flags_listed(client, **params):
    response = client.get(reverse("portal_lost_contact:index"), params)
    assert response.status_code == 200
    return {flag.pk for flag in response.context["object_list"]}


def test_lost_contacts_are_listed_for_the_branch(client, flags, org_admin_a, host_admin):
    client.force_login(org_admin_a)
    assert _flags_listed(client) == {flags["a1"].pk}
    client.force_login(host_admin)  # the paired host branch helps find its member
    assert _flags_listed(client) == {flags["b1"].pk}


def test_clearing_with_a_note(client, members, flags, org_admin_a):
    client.force_login(org_admin_a)
    url = reverse("portal_lost_contact:clear", args=[flags["a1"].pk])
    assert "note" in client.post(url, {"note": ""}).context["form"].errors
    assert client.post(url, {"note": "电话联系上了"}).status_code == 302
    flag = LostContact.objects.get(pk=flags["a1"].pk)
    assert (flag.note, flag.cleared_by, flag.cleared_on) == (
        "电话联系上了",
        org_admin_a,
        timezone.localdate(),
    )
    assert _flags_listed(client) == set()  # open flags by default
    assert _flags_listed(client, open="false") == {flag.pk}


def test_clearing_outside_the_scope_is_404(client, flags, org_admin_a):
    client.force_login(org_admin_a)
    url = reverse("portal_lost_contact:clear", args=[flags["b1"].pk])
    assert client.post(url, {"note": "x"}).status_code == 404
    assert LostContact.objects.get(pk=flags["b1"].pk).cleared_on is None


def _rows(html: str) -> list[str]:
    table = re.search(r'<table class="listing">.*?</table>', html, re.S).group(0)
    return re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)


def test_each_listed_report_links_to_its_own_report_and_its_actions(client, reports, org_admin_a):
    """Every row of the list opens the report it shows, and carries verify and send back;
    the report's page gives its times in the site's zone (Asia/Shanghai), not UTC."""
    client.force_login(org_admin_a)
    response = client.get(reverse(INDEX))
    listed = list(response.context["object_list"])
    rows = _rows(response.content.decode())
    assert len(rows) == len(listed) == 2
    for report, row in zip(listed, rows, strict=True):
        inspect = reverse("portal_whereabouts:inspect", args=[report.pk])
        assert f'href="{inspect}"' in row and report.member.name in row
        for action in ("verify", "return"):
            assert reverse(f"portal_whereabouts:{action}", args=[report.pk]) in row
    page = client.get(reverse("portal_whereabouts:inspect", args=[listed[0].pk])).content.decode()
    local = timezone.localtime(listed[0].reported_at)
    assert f'<time datetime="{local.isoformat()}">' in page
    assert date_format(local, "DATETIME_FORMAT") in page
    assert "None" not in re.search(r"<dl>.*?</dl>", page, re.S).group(0)


def test_each_open_flag_row_carries_its_clear_button(client, flags, org_admin_a):
    client.force_login(org_admin_a)
    rows = _rows(client.get(reverse("portal_lost_contact:index")).content.decode())
    clear = reverse("portal_lost_contact:clear", args=[flags["a1"].pk])
    assert len(rows) == 1 and clear in rows[0]
