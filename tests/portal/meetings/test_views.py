"""The member's phone pages: only the meetings they are expected at; signing in with the code;
asking for leave; where the QR code leads."""

import datetime

from django.urls import reverse

from portal.meetings import services
from portal.models import MeetingAttendance

HOUR = datetime.timedelta(hours=1)


def test_a_member_sees_only_the_meetings_they_are_expected_at(client, plan, people, tree):
    plan(title="深圳主题党日")
    plan(title="甲一村党课", organization=tree.village_a1, place="村部", kind="lecture")
    client.force_login(people["member"])
    page = client.get(reverse("my_meetings")).content.decode()
    assert "深圳主题党日" in page and "甲一村党课" not in page


def test_a_meeting_not_expected_at_is_not_found(client, plan, people, tree):
    other = plan(organization=tree.village_a1, place="村部")
    client.force_login(people["member"])
    assert client.get(reverse("my_meeting", args=[other.pk])).status_code == 404


def test_the_member_signs_in_with_the_code(client, plan, people, members):
    meeting = services.meeting_code_issue(meeting=plan(starts_in=-HOUR / 4))
    client.force_login(people["member"])
    url = reverse("my_meeting", args=[meeting.pk])
    response = client.post(url, {"action": "code", "code": meeting.code})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-status="present"' in page


def test_a_wrong_code_is_shown_on_the_form(client, plan, people):
    meeting = services.meeting_code_issue(meeting=plan(starts_in=-HOUR / 4))
    client.force_login(people["member"])
    wrong = f"{(int(meeting.code) + 1) % 10**6:06d}"
    response = client.post(
        reverse("my_meeting", args=[meeting.pk]), {"action": "code", "code": wrong}
    )
    assert response.status_code == 200
    assert str(services.MESSAGES["wrong_code"]) in response.content.decode()


def test_the_member_asks_for_leave(client, plan, people, members):
    meeting = plan()
    client.force_login(people["member"])
    client.post(reverse("my_meeting", args=[meeting.pk]), {"action": "leave", "reason": "出车"})
    attendance = MeetingAttendance.objects.get(meeting=meeting)
    assert (attendance.status, attendance.leave_reason) == ("leave_requested", "出车")


def test_a_stale_qr_code_says_so(client, plan, people):
    meeting = services.meeting_code_issue(meeting=plan(starts_in=-HOUR / 4))
    token = services.meeting_qr_token(meeting)
    client.force_login(people["member"])
    response = client.post(reverse("my_meeting_scan"), {"t": token + "x"})
    assert str(services.MESSAGES["bad_token"]) in response.content.decode()


def test_the_qr_link_asks_a_visitor_to_log_in_first(client, plan):
    meeting = services.meeting_code_issue(meeting=plan(starts_in=-HOUR / 4))
    url = reverse("my_meeting_scan") + "?t=" + services.meeting_qr_token(meeting)
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
