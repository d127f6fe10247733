"""The member's whereabouts page on the phone: report this month, see the history."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Member, WhereaboutsReport
from portal.registry.factories import MemberFactory, UserFactory

URL = "/me/whereabouts/"
DATA = {
    "city": "深圳",
    "employer": "鹏城电子",
    "address": "宝安区西乡街道 88 号",
    "phone": "13900000001",
    "host": "",
}


@pytest.fixture
def member(member_client):
    return Member.objects.get(phone="13900000001")


def test_the_url_name_is_whereabouts():
    assert reverse("whereabouts") == URL


def test_a_member_reports_and_sees_it_awaiting_verification(member_client, member):
    """The report is saved for this month, the page shows it as awaiting verification."""
    response = member_client.post(URL, DATA)
    assert response.status_code == 302
    report = WhereaboutsReport.objects.get(member=member)
    assert (report.city, report.month) == ("深圳", timezone.localdate().replace(day=1))
    assert report.reported_by == member.user
    page = member_client.get(URL)
    assert list(page.context["reports"]) == [report]
    html = page.content.decode()
    assert f'data-status="{WhereaboutsReport.Status.SUBMITTED}"' in html
    assert str(WhereaboutsReport.Status.SUBMITTED.label) in html


def test_the_form_starts_from_the_last_report(member_client, member):
    member_client.post(URL, {**DATA, "city": "东莞"})
    form = member_client.get(URL).context["form"]
    assert form.initial["city"] == "东莞"


def test_a_sent_back_report_shows_its_reason(member_client, member):
    WhereaboutsReport.objects.create(
        member=member,
        month=timezone.localdate().replace(day=1),
        city="深圳",
        address="不详",
        phone=member.phone,
        status=WhereaboutsReport.Status.RETURNED,
        return_reason="请写明门牌号",
    )
    html = member_client.get(URL).content.decode()
    assert "请写明门牌号" in html
    assert f'data-status="{WhereaboutsReport.Status.RETURNED}"' in html


def test_bad_input_is_shown_against_the_field_and_nothing_saved(member_client, member):
    response = member_client.post(URL, {**DATA, "phone": "12345", "address": ""})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"phone", "address"}
    assert not WhereaboutsReport.objects.exists()


def test_another_members_phone_tells_the_member_nothing(member_client, member):
    """The page answers a phone held by someone else exactly as any other number: the report
    is filed for the branch to verify, and no page says the number is taken."""
    MemberFactory(origin=member.origin, phone="13911112222")
    response = member_client.post(URL, {**DATA, "phone": "13911112222"})
    assert response.status_code == 302
    report = WhereaboutsReport.objects.get(member=member)
    assert report.phone == "13911112222"
    html = member_client.get(URL).content.decode()
    assert str(_("Another member already has this phone number.")) not in html
    member.refresh_from_db()
    assert member.phone == "13900000001"


def test_a_host_must_be_host_side(member_client, member, sections):
    response = member_client.post(URL, {**DATA, "host": sections.village.pk})
    assert "host" in response.context["form"].errors


def test_the_member_sees_only_their_own_reports(member_client, member):
    other = MemberFactory(origin=member.origin)
    WhereaboutsReport.objects.create(
        member=other,
        month=timezone.localdate().replace(day=1),
        city="广州",
        address="x",
        phone=other.phone,
    )
    assert list(member_client.get(URL).context["reports"]) == []


def test_a_visitor_is_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("portal:login") in response["Location"]


def test_a_user_who_is_not_a_member_gets_404(client, db):
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 404


def test_the_tab_bar_leads_to_the_page_through_me(member_client, member):
    """Whereabouts is under 我的: that tab is marked on the page, and /me/ links to it."""
    html = member_client.get(URL).content.decode()
    assert re.search(r'<a href="/me/" class="tab-me" aria-current="true"', html)
    assert f'href="{URL}"' in member_client.get("/me/").content.decode()
