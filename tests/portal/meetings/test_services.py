"""Planning, signing in (code and QR), leave, closing, locking and correcting a meeting."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal.cards.selectors import contact_card_summary
from portal.meetings import services
from portal.meetings.services import MESSAGES
from portal.models import ContactCard, Meeting, MeetingAttendance

Status = MeetingAttendance.Status
HOUR = datetime.timedelta(hours=1)


def _refused(key):
    return pytest.raises(ValidationError, match=str(MESSAGES[key]))


def _attendance(meeting, member):
    return MeetingAttendance.objects.get(meeting=meeting, member=member)


def test_a_host_branch_expects_the_paired_members_living_there_only(plan, members, unpaired_member):
    meeting = plan()
    expected = set(meeting.attendances.values_list("member_id", flat=True))
    assert expected == {members.b1.pk}


def test_a_home_branch_expects_its_own_members(plan, tree, members):
    meeting = plan(organization=tree.village_b1, place="乙一村党员活动室")
    assert set(meeting.attendances.values_list("member_id", flat=True)) == {members.b1.pk}


def test_a_meeting_needs_a_place_or_a_link(plan):
    with _refused("place"):
        plan(place="")
    assert plan(place="", online_link="https://meeting.example.cn/123").pk


def test_a_township_committee_holds_no_branch_meeting(plan, tree):
    with _refused("organization"):
        plan(organization=tree.township_b)


def test_the_end_comes_after_the_start(plan):
    with pytest.raises(ValidationError):
        plan(ends_at=timezone.now())


def _shown(meeting):
    return services.meeting_code_issue(meeting=meeting)


def test_the_code_read_out_signs_the_member_in(plan, members):
    meeting = _shown(plan(starts_in=-HOUR / 2))
    services.attendance_sign_in_code(meeting=meeting, member=members.b1, code=meeting.code)
    attendance = _attendance(meeting, members.b1)
    assert attendance.status == Status.PRESENT
    assert attendance.method == MeetingAttendance.Method.CODE


def test_a_wrong_code_is_refused(plan, members):
    meeting = _shown(plan(starts_in=-HOUR / 2))
    wrong = f"{(int(meeting.code) + 1) % 10**6:06d}"
    with _refused("wrong_code"):
        services.attendance_sign_in_code(meeting=meeting, member=members.b1, code=wrong)


def test_a_code_is_used_once_per_member(plan, members):
    meeting = _shown(plan(starts_in=-HOUR / 2))
    services.attendance_sign_in_code(meeting=meeting, member=members.b1, code=meeting.code)
    with _refused("signed_in"):
        services.attendance_sign_in_code(meeting=meeting, member=members.b1, code=meeting.code)


def test_an_expired_code_is_refused(plan, members):
    meeting = _shown(plan(starts_in=-HOUR / 2))
    Meeting.objects.filter(pk=meeting.pk).update(
        code_issued_at=timezone.now() - services.CODE_TTL - datetime.timedelta(seconds=1)
    )
    with _refused("expired"):
        services.attendance_sign_in_code(meeting=meeting, member=members.b1, code=meeting.code)


def test_a_new_code_replaces_the_old_one(plan, members):
    meeting = _shown(plan(starts_in=-HOUR / 2))
    old = meeting.code
    while meeting.code == old:
        meeting = _shown(meeting)
    with _refused("wrong_code"):
        services.attendance_sign_in_code(meeting=meeting, member=members.b1, code=old)


def test_outside_the_window_nobody_signs_in(plan, members):
    early = _shown(plan(starts_in=HOUR))
    with _refused("window"):
        services.attendance_sign_in_code(meeting=early, member=members.b1, code=early.code)
    late = _shown(plan(starts_in=-3 * HOUR))  # ended an hour ago
    with _refused("window"):
        services.attendance_sign_in_code(meeting=late, member=members.b1, code=late.code)


def test_a_member_of_another_branch_cannot_sign_in(plan, members):
    meeting = _shown(plan(starts_in=-HOUR / 2))
    with _refused("not_expected"):
        services.attendance_sign_in_code(meeting=meeting, member=members.a1, code=meeting.code)


def test_the_qr_code_signs_the_member_in(plan, members):
    meeting = _shown(plan(starts_in=-HOUR / 2))
    token = services.meeting_qr_token(meeting)
    services.attendance_sign_in_qr(member=members.b1, token=token)
    assert _attendance(meeting, members.b1).method == MeetingAttendance.Method.QR
    with _refused("signed_in"):
        services.attendance_sign_in_qr(member=members.b1, token=token)


def test_a_qr_code_of_another_branch_is_refused(plan, tree, members):
    meeting = _shown(plan(starts_in=-HOUR / 2, organization=tree.village_a1, place="甲一村"))
    with _refused("not_expected"):
        services.attendance_sign_in_qr(member=members.b1, token=services.meeting_qr_token(meeting))


def test_a_forged_or_old_qr_code_is_refused(plan, members, settings):
    meeting = _shown(plan(starts_in=-HOUR / 2))
    token = services.meeting_qr_token(meeting)
    with _refused("bad_token"):
        services.attendance_sign_in_qr(member=members.b1, token=token[:-2] + "xx")
    shown_again = _shown(meeting)
    if shown_again.code != meeting.code:
        with _refused("wrong_code"):
            services.attendance_sign_in_qr(member=members.b1, token=token)


def test_an_expired_qr_code_is_refused(plan, members, monkeypatch):
    meeting = _shown(plan(starts_in=-HOUR / 2))
    token = services.meeting_qr_token(meeting)
    monkeypatch.setattr(services, "CODE_TTL", datetime.timedelta(seconds=-1))
    with _refused("expired"):
        services.attendance_sign_in_qr(member=members.b1, token=token)


def test_leave_is_asked_with_a_reason_before_the_start(plan, members):
    meeting = plan()
    with _refused("leave_reason"):
        services.attendance_leave_request(meeting=meeting, member=members.b1, reason=" ")
    services.attendance_leave_request(meeting=meeting, member=members.b1, reason="夜班")
    assert _attendance(meeting, members.b1).status == Status.LEAVE_REQUESTED
    started = plan(starts_in=-HOUR / 2)
    with _refused("leave_late"):
        services.attendance_leave_request(meeting=started, member=members.b1, reason="夜班")


def test_after_leave_was_granted_the_member_cannot_sign_in(plan, members):
    meeting = plan(starts_in=datetime.timedelta(minutes=10))
    attendance = services.attendance_leave_request(
        meeting=meeting, member=members.b1, reason="夜班"
    )
    services.attendance_leave_grant(attendance=attendance)
    meeting = _shown(meeting)
    with _refused("on_leave"):
        services.attendance_sign_in_code(meeting=meeting, member=members.b1, code=meeting.code)


def _close(meeting, user, statuses, **fields):
    return services.meeting_close(
        meeting=meeting, user=user, statuses=statuses, minutes="<p>学习党章</p>", **fields
    )


def test_closing_locks_the_meeting(plan, members, people):
    meeting = _shown(plan(starts_in=-HOUR / 2))
    _close(meeting, people["host"], {members.b1.pk: Status.PRESENT}, decisions="下月走访")
    meeting.refresh_from_db()
    assert meeting.is_closed and meeting.code == ""
    with _refused("locked"):
        _close(meeting, people["host"], {})
    with _refused("locked"):
        services.meeting_update(meeting=meeting, title="改名")
    with _refused("window"):
        services.attendance_sign_in_code(meeting=meeting, member=members.b1, code="000000")


def test_closing_takes_only_present_leave_or_absent(plan, members, people):
    with _refused("final_status"):
        _close(plan(starts_in=-HOUR), people["host"], {members.b1.pk: Status.EXPECTED})


def test_a_correction_is_a_new_logged_revision(plan, members, people):
    meeting = plan(starts_in=-3 * HOUR)
    _close(meeting, people["host"], {members.b1.pk: Status.ABSENT})
    services.meeting_correct(
        meeting=meeting,
        user=people["host"],
        statuses={members.b1.pk: Status.PRESENT},
        minutes="<p>补记</p>",
        decisions="",
    )
    revisions = list(meeting.revisions.order_by("created_at", "pk"))
    assert [r.content["attendance"][str(members.b1.pk)] for r in revisions] == [
        "absent",
        "present",
    ]
    actions = ModelLogEntry.objects.for_instance(meeting).values_list("action", flat=True)
    assert set(actions) == {services.LOG_CLOSE, services.LOG_CORRECT}


def test_a_planned_meeting_is_not_corrected(plan, people):
    with _refused("not_closed"):
        services.meeting_correct(
            meeting=plan(), user=people["host"], statuses={}, minutes="", decisions=""
        )


def test_a_host_meeting_counts_once_on_the_contact_card(plan, members, people):
    meeting = plan(starts_in=-3 * HOUR)
    _close(meeting, people["host"], {members.b1.pk: Status.PRESENT})
    for _ in range(2):
        services.meeting_correct(
            meeting=meeting,
            user=people["host"],
            statuses={members.b1.pk: Status.PRESENT},
            minutes="",
            decisions="",
        )
    card = ContactCard.objects.get(member=members.b1)
    summary = contact_card_summary(card)
    assert summary.counts == {"theme_day": 1} and summary.pending == 0
    services.meeting_correct(
        meeting=meeting,
        user=people["host"],
        statuses={members.b1.pk: Status.ABSENT},
        minutes="",
        decisions="",
    )
    assert contact_card_summary(card).total == 0


def test_a_home_meeting_writes_no_contact_card(plan, tree, members, people):
    meeting = plan(starts_in=-3 * HOUR, organization=tree.village_b1, place="村部")
    _close(meeting, people["origin"], {members.b1.pk: Status.PRESENT})
    assert not ContactCard.objects.filter(member=members.b1).exists()


def test_the_close_form_starts_from_what_members_did(plan, members, people, tree):
    meeting = plan(starts_in=datetime.timedelta(minutes=10))
    services.attendance_leave_request(meeting=meeting, member=members.b1, reason="出差")
    assert services.attendance_proposed(meeting) == {members.b1.pk: Status.LEAVE}
