"""The year's meetings count in the annual assessment draft (organisational life).

Documented effect: the draft carries how the member's closed meetings of the year went —
present, on leave, absent — on either side (the home branch's and the host branch's), each
meeting once. Where the organisation's AssessmentPolicy sets ``max_meeting_absences`` or
``min_meeting_rate``, more absences without leave or a lower rate (present over expected)
keeps the draft below 优秀 with a reason that names the figures.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from learning.assessment import services as annual_assessment
from learning.assessment.forms import AssessmentConfirmForm, draft_reasons_text, meetings_text
from learning.credit import services as credit
from learning.models import AnnualAssessment, AssessmentPolicy, Grade
from portal.meetings import services as meetings
from portal.meetings.selectors import attendance_counts
from portal.models import MeetingAttendance, Role
from portal.registry import services as registry

Status = MeetingAttendance.Status


def last_year():
    return timezone.localdate().year - 1


@pytest.fixture
def world(tree, members, user_with_role, org_admin_a):
    """乙一党员 (home 乙一村, living at the host branch, paired with 乙乡) with an excellent
    ledger last year; the secretaries of both sides."""
    registry.pairing_create(
        origin=tree.township_b, host=tree.host_branch, signed_on=datetime.date(2020, 1, 1)
    )
    credit.credit_correct(
        member=members.b1,
        hours=Decimal("40"),
        points=150,
        deduction=0,
        reason="测试",
        author=org_admin_a,
        occurred_on=datetime.date(last_year(), 6, 1),
    )
    return {
        "home": user_with_role(Role.ORG_ADMIN, tree.village_b1, "home_admin"),
        "host": user_with_role(Role.ORG_ADMIN, tree.host_branch, "host_admin"),
    }


def _held(organization, user, month, status_of, *, year=None, close=True):
    """A meeting of ``organization`` on the 10th of ``month``, closed with ``status_of``
    (member → status), or left planned."""
    starts_at = timezone.make_aware(datetime.datetime(year or last_year(), month, 10, 19))
    meeting = meetings.meeting_plan(
        user=user,
        organization=organization,
        kind="theme_day",
        title=f"{month}月主题党日",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        place="党员活动室",
    )
    if close:
        statuses = {member.pk: status for member, status in status_of.items()}
        meetings.meeting_close(meeting=meeting, user=user, statuses=statuses)
    return meeting


@pytest.fixture
def year_of_meetings(tree, members, world):
    """Last year: two home meetings (present, absent), three host meetings (present,
    leave, absent); not counted: a meeting still planned, and one of this year."""
    b1 = members.b1
    home, host = world["home"], world["host"]
    held = {
        "home_present": _held(tree.village_b1, home, 1, {b1: Status.PRESENT}),
        "home_absent": _held(tree.village_b1, home, 2, {b1: Status.ABSENT}),
        "host_present": _held(tree.host_branch, host, 3, {b1: Status.PRESENT}),
        "host_leave": _held(tree.host_branch, host, 4, {b1: Status.LEAVE}),
        "host_absent": _held(tree.host_branch, host, 5, {b1: Status.ABSENT}),
    }
    _held(tree.host_branch, host, 6, {}, close=False)
    _held(tree.village_b1, home, 1, {b1: Status.ABSENT}, year=last_year() + 1)
    return held


def _draft(tree, member):
    annual_assessment.assessment_drafts_compute(
        organization_id=tree.township_b.pk, year=last_year()
    )
    return AnnualAssessment.objects.get(member=member, year=last_year())


def test_the_counts_are_the_rows_of_the_years_closed_meetings(tree, members, year_of_meetings):
    rows = MeetingAttendance.objects.filter(
        member=members.b1, meeting__state="closed", meeting__starts_at__year=last_year()
    )
    by_hand = {status: rows.filter(status=status).count() for status in ("present", "leave")}
    by_hand["absent"] = rows.filter(status=Status.ABSENT).count()
    counted = attendance_counts(member_ids=[members.b1.pk], year=last_year())
    assert (
        counted
        == {members.b1.pk: by_hand}
        == {members.b1.pk: {"present": 2, "leave": 1, "absent": 2}}
    )
    # Both sides: the home branch's meetings and the host branch's.
    assert {row.meeting.organization_id for row in rows} == {
        tree.village_b1.pk,
        tree.host_branch.pk,
    }


def test_without_the_rules_meetings_are_shown_but_change_nothing(tree, members, year_of_meetings):
    draft = _draft(tree, members.b1)
    assert (draft.meetings_present, draft.meetings_leave, draft.meetings_absent) == (2, 1, 2)
    assert draft.meeting_rate == 40.0
    assert (draft.draft_grade, draft.draft_reasons) == (Grade.EXCELLENT, [])


def test_too_many_absences_keep_the_draft_below_excellent(tree, members, year_of_meetings):
    AssessmentPolicy.objects.create(organization=tree.township_b, max_meeting_absences=1)
    draft = _draft(tree, members.b1)
    assert (draft.draft_grade, draft.draft_reasons) == (
        Grade.QUALIFIED,
        ["meeting_absences_above_maximum"],
    )
    # Leave is not an absence: two absences against a maximum of two is excellent.
    AssessmentPolicy.objects.filter(organization=tree.township_b).update(max_meeting_absences=2)
    assert _draft(tree, members.b1).draft_grade == Grade.EXCELLENT


def test_a_low_rate_keeps_the_draft_below_excellent(tree, members, year_of_meetings):
    """Present at 2 of 5 (40 %): below 50 % is refused, 40 % is enough."""
    AssessmentPolicy.objects.create(organization=tree.township_b, min_meeting_rate=50)
    draft = _draft(tree, members.b1)
    assert (draft.draft_grade, draft.draft_reasons) == (
        Grade.QUALIFIED,
        ["meeting_rate_below_minimum"],
    )
    AssessmentPolicy.objects.filter(organization=tree.township_b).update(min_meeting_rate=40)
    assert _draft(tree, members.b1).draft_grade == Grade.EXCELLENT


def test_a_correction_changes_the_figure(tree, members, world, year_of_meetings):
    AssessmentPolicy.objects.create(organization=tree.township_b, max_meeting_absences=1)
    assert _draft(tree, members.b1).meetings_absent == 2
    meetings.meeting_correct(
        meeting=year_of_meetings["host_absent"],
        user=world["host"],
        statuses={members.b1.pk: Status.PRESENT},
        minutes="",
        decisions="补签：本人到会",
    )
    draft = _draft(tree, members.b1)
    assert (draft.meetings_present, draft.meetings_leave, draft.meetings_absent) == (3, 1, 1)
    assert (draft.draft_grade, draft.draft_reasons) == (Grade.EXCELLENT, [])


def test_a_member_expected_nowhere_is_not_held_to_the_rate(tree, members, world):
    AssessmentPolicy.objects.create(
        organization=tree.township_b, max_meeting_absences=0, min_meeting_rate=90
    )
    draft = _draft(tree, members.b1)
    assert draft.meeting_rate is None
    assert (draft.draft_grade, draft.draft_reasons) == (Grade.EXCELLENT, [])


def test_the_secretary_reads_the_figures_and_why(tree, members, world, year_of_meetings):
    AssessmentPolicy.objects.create(
        organization=tree.township_b, max_meeting_absences=1, min_meeting_rate=50
    )
    draft = _draft(tree, members.b1)
    why = draft_reasons_text(draft)
    assert "2" in why and "5" in why and "40.0" in why
    assert "%(" not in why
    figures = meetings_text(draft)
    assert all(str(n) in figures for n in (5, 2, 1, "40.0"))
    form = AssessmentConfirmForm(instance=draft, for_user=world["home"])
    assert figures in str(form.fields["grade"].help_text)
    assert why in str(form.fields["grade"].help_text)
