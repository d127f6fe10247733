"""The 12-point deduction for whereabouts not reported, applied by the monthly job."""

import datetime

import pytest

from learning.models import CreditEntry, Deduction, DeductionRule
from learning.periods import deductions as periods
from learning.periods.whereabouts import whereabouts_unreported
from portal.models import Member, WhereaboutsReport

OCT_1, OCT_31 = datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)


@pytest.fixture
def floating(members):
    """Everyone floating since well before October 2026."""
    Member.objects.update(floating_since=datetime.date(2024, 1, 1))
    return members


def _rule(organization, marks=2, grace_days=31):
    return DeductionRule.objects.create(
        organization=organization, kind=Deduction.WHEREABOUTS, marks=marks, grace_days=grace_days
    )


def _report(member, month=OCT_1, status=WhereaboutsReport.Status.SUBMITTED):
    return WhereaboutsReport.objects.create(
        member=member, month=month, city="深圳", address="x", phone=member.phone, status=status
    )


def _deducted():
    entries = CreditEntry.objects.filter(source_key="deduction:whereabouts:2026-10")
    return {entry.member: entry.deduction for entry in entries}


def test_members_who_filed_no_report_lose_the_rules_marks_once(tree, floating):
    """A1 reported for October; A2 and B1 did not and lose 2 marks, once however often the
    job runs."""
    _rule(tree.county, marks=2)
    _report(floating.a1)
    assert periods.deductions_apply(year=2026, month=10) == 2
    assert periods.deductions_apply(year=2026, month=10) == 0
    assert _deducted() == {floating.a2: 2, floating.b1: 2}
    entry = CreditEntry.objects.get(member=floating.a2)
    assert (entry.source, entry.occurred_on) == (CreditEntry.Source.DEDUCTION, OCT_31)


def test_only_organisations_with_a_rule_deduct(tree, floating):
    """Township A set a whereabouts rule; township B did not, so B1 keeps its marks."""
    _rule(tree.township_a, marks=1)
    periods.deductions_apply(year=2026, month=10)
    assert _deducted() == {floating.a1: 1, floating.a2: 1}


def test_without_any_rule_nothing_is_deducted(tree, floating):
    assert list(whereabouts_unreported(OCT_1, OCT_31)) == []


def test_a_report_sent_back_does_not_count(tree, floating):
    _rule(tree.county)
    _report(floating.a1, status=WhereaboutsReport.Status.RETURNED)
    assert {due.member_id for due in whereabouts_unreported(OCT_1, OCT_31)} == {
        floating.a1.pk,
        floating.a2.pk,
        floating.b1.pk,
    }


def test_a_recent_report_within_the_grace_days_counts(tree, floating):
    """With 45 grace days, A1's report filed on 20 September covers October."""
    _rule(tree.county, grace_days=45)
    report = _report(floating.a1, month=datetime.date(2026, 9, 1))
    WhereaboutsReport.objects.filter(pk=report.pk).update(
        reported_at=datetime.datetime(2026, 9, 20, 12, tzinfo=datetime.UTC)
    )
    missed = {due.member_id for due in whereabouts_unreported(OCT_1, OCT_31)}
    assert missed == {floating.a2.pk, floating.b1.pk}


def test_members_not_floating_or_newly_floating_owe_nothing(tree, floating):
    _rule(tree.county)
    Member.objects.filter(pk=floating.a1.pk).update(floating_status=Member.FloatingStatus.RETURNED)
    Member.objects.filter(pk=floating.a2.pk).update(floating_since=datetime.date(2026, 10, 15))
    assert {due.member_id for due in whereabouts_unreported(OCT_1, OCT_31)} == {floating.b1.pk}


def test_the_source_is_registered_with_the_monthly_job():
    assert periods.DEDUCTION_SOURCES[Deduction.WHEREABOUTS] is whereabouts_unreported


def test_a_report_filed_after_the_month_for_a_later_month_does_not_excuse_it(tree, floating):
    """A1 reported for November only: October still counts as missed."""
    _rule(tree.county, grace_days=45)
    report = _report(floating.a1, month=datetime.date(2026, 11, 1))
    WhereaboutsReport.objects.filter(pk=report.pk).update(
        reported_at=datetime.datetime(2026, 11, 3, 12, tzinfo=datetime.UTC)
    )
    assert floating.a1.pk in {due.member_id for due in whereabouts_unreported(OCT_1, OCT_31)}
