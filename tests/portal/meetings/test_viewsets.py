"""The secretary's admin pages: planning, the code and QR code, leave, closing and correcting,
and the scope of each role (a host branch sees its own meetings; the home branch its member's
attendance on both sides)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.meetings import services
from portal.models import Meeting, MeetingAttendance

Status = MeetingAttendance.Status
HOUR = datetime.timedelta(hours=1)


def _local(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_the_host_secretary_plans_a_theme_day(client, people, tree, members):
    client.force_login(people["host"])
    starts = timezone.now() + 24 * HOUR
    response = client.post(
        reverse("portal_meeting:add"),
        {
            "organization": tree.host_branch.pk,
            "kind": "theme_day",
            "title": "十二月主题党日",
            "starts_at": _local(starts),
            "ends_at": _local(starts + 2 * HOUR),
            "place": "",
            "online_link": "https://meeting.example.cn/9",
            "agenda": "重温入党誓词",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal_meeting:detail", args=[meeting.pk])
    assert list(meeting.attendances.values_list("member_id", flat=True)) == [members.b1.pk]


def test_a_meeting_without_place_or_link_is_refused_on_the_form(client, people, tree):
    client.force_login(people["host"])
    starts = timezone.now() + 24 * HOUR
    response = client.post(
        reverse("portal_meeting:add"),
        {
            "organization": tree.host_branch.pk,
            "kind": "theme_day",
            "title": "无地点",
            "starts_at": _local(starts),
            "ends_at": _local(starts + HOUR),
        },
    )
    assert response.status_code == 200
    assert str(services.MESSAGES["place"]) in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_secretary_cannot_plan_for_a_branch_not_theirs(client, people, tree):
    client.force_login(people["unrelated"])
    starts = timezone.now() + 24 * HOUR
    client.post(
        reverse("portal_meeting:add"),
        {
            "organization": tree.host_branch.pk,
            "kind": "theme_day",
            "title": "越权",
            "starts_at": _local(starts),
            "ends_at": _local(starts + HOUR),
            "place": "某地",
        },
    )
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("host", 200), ("origin", 404), ("unrelated", 404)],
)
def test_a_host_meeting_is_the_host_branch_s(client, people, plan, who, status):
    meeting = plan()
    client.force_login(people[who])
    for name in ("detail", "code", "close", "edit", "history"):
        assert client.get(reverse(f"portal_meeting:{name}", args=[meeting.pk])).status_code == (
            status
        ), name


def test_members_cannot_open_the_admin_pages(client, people, plan):
    meeting = plan()
    client.force_login(people["member"])
    response = client.get(reverse("portal_meeting:detail", args=[meeting.pk]))
    assert response.status_code in (302, 403)


def test_the_code_page_shows_a_code_and_a_qr_code_that_signs_in(client, people, plan, members):
    meeting = plan(starts_in=-HOUR / 2)
    client.force_login(people["host"])
    response = client.post(reverse("portal_meeting:code", args=[meeting.pk]), follow=True)
    page = response.content.decode()
    meeting.refresh_from_db()
    assert re.search(rf'id="code"[^>]*>{meeting.code}<', page)
    assert "<svg" in page
    client.force_login(people["member"])
    token = services.meeting_qr_token(meeting)
    scan = reverse("my_meeting_scan")
    response = client.post(scan, {"t": token})
    assert response.status_code == 302
    assert MeetingAttendance.objects.get(meeting=meeting).method == "qr"


def test_the_secretary_grants_leave(client, people, plan, members):
    meeting = plan()
    services.attendance_leave_request(meeting=meeting, member=members.b1, reason="加班")
    row = MeetingAttendance.objects.get(meeting=meeting)
    client.force_login(people["host"])
    client.post(reverse("portal_meeting:leave", args=[meeting.pk]), {"attendance": row.pk})
    row.refresh_from_db()
    assert row.status == Status.LEAVE


def test_closing_then_correcting_through_the_form(client, people, plan, members):
    meeting = plan(starts_in=-3 * HOUR)
    client.force_login(people["host"])
    url = reverse("portal_meeting:close", args=[meeting.pk])
    field = f"member_{members.b1.pk}"
    client.post(url, {field: "absent", "minutes": "", "decisions": "按时交纳党费"})
    meeting.refresh_from_db()
    assert meeting.is_closed and meeting.decisions == "按时交纳党费"
    refused = client.get(reverse("portal_meeting:edit", args=[meeting.pk]))
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    client.post(url, {field: "present", "minutes": "", "decisions": "按时交纳党费"})
    assert MeetingAttendance.objects.get(meeting=meeting).status == Status.PRESENT
    assert meeting.revisions.count() == 2


def test_the_home_secretary_sees_the_host_attendance(client, people, plan, members, tree):
    meeting = plan(starts_in=-3 * HOUR, title="深圳主题党日")
    services.meeting_close(
        meeting=meeting, user=people["host"], statuses={members.b1.pk: "present"}
    )
    url = reverse("portal_meeting:member", args=[members.b1.pk])
    client.force_login(people["origin"])
    page = client.get(url).content.decode()
    assert "深圳主题党日" in page and 'data-status="present"' in page
    client.force_login(people["unrelated"])
    assert client.get(url).status_code == 404


def test_the_index_lists_only_the_user_s_meetings(client, people, plan, tree):
    plan(title="深圳的会")
    plan(title="乙一村的会", organization=tree.village_b1, place="村部")
    client.force_login(people["origin"])
    page = client.get(reverse("portal_meeting:index")).content.decode()
    assert "乙一村的会" in page and "深圳的会" not in page
