import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from learning.assessment import services as annual_assessment
from learning.credit import services as credit
from learning.models import (
    AnnualAssessment,
    AssessmentPolicy,
    CreditEntry,
    Deduction,
    DeductionRule,
    Grade,
    MonthlyTally,
    OfflineAttendance,
    QuarterlyPublication,
)
from learning.periods import deductions, notifications, selectors, services, tally
from portal.models import Notification
from portal.registry.factories import MemberFactory, UserFactory

from ..helpers import learning_setup


def _correct(member, author, on, hours="0", points=0, deduction=0):
    return credit.credit_correct(
        member=member,
        hours=Decimal(hours),
        points=points,
        deduction=deduction,
        reason="测试",
        author=author,
        occurred_on=on,
    )


# --- Deductions -------------------------------------------------------------------------


@pytest.fixture
def session(tree):
    """Township A's track with its offline session on 2026-10-15, 14:00 local time."""
    setup = learning_setup(tree.township_a)
    step = setup.steps.offline
    step.session_starts_at = datetime.datetime.fromisoformat("2026-10-15T14:00:00+08:00")
    step.save()
    return step


def test_members_who_missed_the_session_lose_a_mark(session, members, org_admin_a):
    """Assigned to township A: the member who attended keeps their marks, the one who did not
    (or was recorded absent) loses one; township B's member was never assigned it."""
    OfflineAttendance.objects.create(step=session, member=members.a1, attended=True)
    assert deductions.deductions_apply(year=2026, month=10) == 1
    entry = CreditEntry.objects.get(source=CreditEntry.Source.DEDUCTION)
    assert (entry.member, entry.deduction) == (members.a2, 1)
    assert entry.source_key == f"deduction:{session.pk}:missed_session"
    assert entry.occurred_on == datetime.date(2026, 10, 15)


def test_deductions_are_applied_once_and_only_for_their_month(session, members):
    OfflineAttendance.objects.create(step=session, member=members.a1, attended=False)
    assert deductions.deductions_apply(year=2026, month=9) == 0
    assert deductions.deductions_apply(year=2026, month=10) == 2
    assert deductions.deductions_apply(year=2026, month=10) == 0
    assert CreditEntry.objects.filter(source=CreditEntry.Source.DEDUCTION).count() == 2


def test_the_nearest_deduction_rule_sets_the_marks(session, tree, members):
    DeductionRule.objects.create(organization=tree.county, kind=Deduction.MISSED_SESSION, marks=3)
    DeductionRule.objects.create(organization=tree.village_a2, kind=Deduction.MISSED_SESSION)
    deductions.deductions_apply(year=2026, month=10)
    marks = dict(CreditEntry.objects.values_list("member__name", "deduction"))
    assert marks == {members.a1.name: 3, members.a2.name: 1}


def test_registered_deduction_sources_are_applied(tree, members, monkeypatch):
    """The whereabouts ledger plugs its source in; its failings are deducted by its rule."""
    DeductionRule.objects.create(organization=tree.county, kind=Deduction.WHEREABOUTS, marks=2)

    def unreported(first, last):
        key = f"deduction:{first:%Y-%m}:whereabouts"
        yield deductions.DeductionDue(members.b1.pk, members.b1.origin.path, key, last, "")

    monkeypatch.setitem(deductions.DEDUCTION_SOURCES, Deduction.WHEREABOUTS, unreported)
    assert deductions.deductions_apply(year=2026, month=10) == 1
    entry = CreditEntry.objects.get(member=members.b1)
    assert (entry.deduction, entry.occurred_on) == (2, datetime.date(2026, 10, 31))


# --- Monthly tally ----------------------------------------------------------------------


def test_monthly_tally_sums_the_month_and_gives_zeros_to_the_rest(members, org_admin_a):
    _correct(members.a1, org_admin_a, datetime.date(2026, 10, 1), hours="2.0", points=20)
    _correct(members.a1, org_admin_a, datetime.date(2026, 10, 31), hours="0.5", deduction=1)
    _correct(members.a1, org_admin_a, datetime.date(2026, 11, 1), points=99)
    _correct(members.a2, org_admin_a, datetime.date(2026, 9, 30), points=99)

    assert tally.monthly_tally(year=2026, month=10) == 3
    rows = {
        tally.member: (tally.hours, tally.points, tally.deduction)
        for tally in MonthlyTally.objects.filter(year=2026, month=10)
    }
    assert rows == {
        members.a1: (Decimal("2.5"), 20, 1),
        members.a2: (Decimal("0"), 0, 0),
        members.b1: (Decimal("0"), 0, 0),
    }


def test_monthly_tally_run_again_gives_the_same_rows(members, org_admin_a):
    _correct(members.a1, org_admin_a, datetime.date(2026, 10, 5), points=5)
    tally.monthly_tally(year=2026, month=10)
    first = list(MonthlyTally.objects.order_by("pk").values_list("pk", "member", "points"))
    tally.monthly_tally(year=2026, month=10)
    assert list(MonthlyTally.objects.order_by("pk").values_list("pk", "member", "points")) == first

    _correct(members.a1, org_admin_a, datetime.date(2026, 10, 6), points=3)
    tally.monthly_tally(year=2026, month=10)
    assert MonthlyTally.objects.get(member=members.a1).points == 8
    assert MonthlyTally.objects.count() == 3


# --- Quarterly publication --------------------------------------------------------------


@pytest.fixture
def quarter(members, org_admin_a):
    """Points in 2026's third quarter (and one entry outside it), tallied."""
    _correct(members.a1, org_admin_a, datetime.date(2026, 7, 3), hours="1.0", points=10)
    _correct(members.a2, org_admin_a, datetime.date(2026, 9, 30), hours="2.0", points=30)
    _correct(members.a2, org_admin_a, datetime.date(2026, 8, 1), deduction=1)
    _correct(members.a1, org_admin_a, datetime.date(2026, 10, 1), points=100)
    for month in range(7, 11):
        tally.monthly_tally(year=2026, month=month)


def test_publication_rows_list_the_subtree_by_points(quarter, tree, members, org_admin_a):
    publication = services.quarter_publish(
        organization=tree.township_a, year=2026, quarter=3, user=org_admin_a
    )
    rows = selectors.publication_rows(publication=publication)
    assert [(r.rank, r.name, r.branch, r.points, r.hours, r.deduction) for r in rows] == [
        (1, members.a2.name, tree.village_a2.name, 30, Decimal("2.0"), 1),
        (2, members.a1.name, tree.village_a1.name, 10, Decimal("1.0"), 0),
    ]
    assert not hasattr(rows[0], "phone")


def test_a_quarter_is_published_once_and_only_once_ended(tree, org_admin_a):
    services.quarter_publish(organization=tree.township_a, year=2026, quarter=3, user=org_admin_a)
    for year, quarter in ((2026, 3), (2099, 1), (2026, 5)):
        with pytest.raises(ValidationError) as error:
            services.quarter_publish(
                organization=tree.township_a, year=year, quarter=quarter, user=org_admin_a
            )
        assert "quarter" in error.value.message_dict
    assert QuarterlyPublication.objects.count() == 1


def test_publication_notifies_the_subtree_once(
    tree, members, org_admin_a, django_capture_on_commit_callbacks
):
    """Members of township A with a login are told after the commit; notifying again tells
    nobody twice; township B's member is not told."""
    for member in (members.a1, members.b1):
        member.user = UserFactory()
        member.save()
    with django_capture_on_commit_callbacks(execute=True):
        publication = services.quarter_publish(
            organization=tree.township_a, year=2026, quarter=3, user=org_admin_a
        )
    notifications.publication_notify(publication_id=publication.pk)
    notified = Notification.objects.filter(source_key=f"publication:{publication.pk}")
    assert list(notified.values_list("recipient", flat=True)) == [members.a1.user_id]
    assert notified.get().url == f"/learning/publications/{publication.pk}/"


# --- Annual assessment ------------------------------------------------------------------


@pytest.fixture
def year_record(tree, members, org_admin_a):
    """Township A's members with one year each: excellent, qualified, too few hours, and
    too many marks lost."""
    on = datetime.date(2026, 6, 1)
    few_hours = MemberFactory(name="学时不足", origin=tree.village_a1)
    marks_lost = MemberFactory(name="扣分过多", origin=tree.village_a2)
    _correct(members.a1, org_admin_a, on, hours="40", points=150)
    _correct(members.a2, org_admin_a, on, hours="32", points=80, deduction=2)
    _correct(few_hours, org_admin_a, on, hours="10", points=80)
    _correct(marks_lost, org_admin_a, on, hours="40", points=150, deduction=7)
    _correct(members.a1, org_admin_a, datetime.date(2025, 12, 31), deduction=12)
    return {"a1": members.a1, "a2": members.a2, "few": few_hours, "lost": marks_lost}


def _drafts(year=2026):
    return {
        a.member.name: (a.draft_grade, a.draft_reasons, a.score)
        for a in AnnualAssessment.objects.filter(year=year).select_related("member")
    }


def test_draft_grades_follow_the_default_rules(tree, members, year_record):
    assert (
        annual_assessment.assessment_drafts_compute(organization_id=tree.township_a.pk, year=2026)
        == 4
    )
    assert _drafts() == {
        members.a1.name: (Grade.EXCELLENT, [], 12),
        members.a2.name: (Grade.QUALIFIED, ["points_below_excellent", "score_below_excellent"], 10),
        "学时不足": (Grade.BASIC, ["hours_below_minimum"], 12),
        "扣分过多": (Grade.UNQUALIFIED, ["score_below_basic"], 5),
    }
    assert not AnnualAssessment.objects.filter(member=members.b1).exists()


def test_the_nearest_assessment_policy_applies(tree, year_record):
    AssessmentPolicy.objects.create(organization=tree.village_a1, min_hours=8)
    annual_assessment.assessment_drafts_compute(organization_id=tree.township_a.pk, year=2026)
    assert _drafts()["学时不足"][0] == Grade.QUALIFIED


def test_a_different_grade_needs_a_reason(tree, year_record, org_admin_a):
    annual_assessment.assessment_drafts_compute(organization_id=tree.township_a.pk, year=2026)
    assessment = AnnualAssessment.objects.get(member=year_record["few"])
    with pytest.raises(ValidationError) as error:
        annual_assessment.assessment_confirm(
            assessment=assessment, grade=Grade.QUALIFIED, reason=" ", user=org_admin_a
        )
    assert "override_reason" in error.value.message_dict
    assert AnnualAssessment.objects.get(pk=assessment.pk).grade == ""

    annual_assessment.assessment_confirm(
        assessment=assessment,
        grade=Grade.QUALIFIED,
        reason="外出务工期间参加流入地学习",
        user=org_admin_a,
    )
    confirmed = AnnualAssessment.objects.get(pk=assessment.pk)
    assert (confirmed.grade, confirmed.confirmed_by) == (Grade.QUALIFIED, org_admin_a)
    assert confirmed.confirmed_at is not None


def test_recomputing_keeps_a_confirmed_grade(tree, year_record, org_admin_a):
    annual_assessment.assessment_drafts_compute(organization_id=tree.township_a.pk, year=2026)
    assessment = AnnualAssessment.objects.get(member=year_record["a1"])
    annual_assessment.assessment_confirm(
        assessment=assessment, grade=Grade.EXCELLENT, reason="", user=org_admin_a
    )
    _correct(year_record["a1"], org_admin_a, datetime.date(2026, 7, 1), deduction=4)
    annual_assessment.assessment_drafts_compute(organization_id=tree.township_a.pk, year=2026)
    assessment.refresh_from_db()
    assert (assessment.score, assessment.draft_grade) == (8, Grade.BASIC)
    assert assessment.grade == Grade.EXCELLENT
    assert AnnualAssessment.objects.filter(year=2026).count() == 4
