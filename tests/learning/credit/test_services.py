import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from learning.credit import selectors
from learning.credit import services as credit
from learning.models import Activity, CreditEntry, PointsRule, StepProgress
from learning.progress.services import step_complete

from ..helpers import learning_setup

DAY = datetime.date(2026, 11, 3)


def _grant(member, activity, points, on=DAY, key=None, hours="0"):
    key = key or f"test:{activity}:{CreditEntry.objects.count()}"
    return credit.capped_credit_grant(
        member=member,
        activity=activity,
        points=points,
        on=on,
        source=CreditEntry.Source.STEP,
        source_key=key,
        hours=Decimal(hours),
    )


def test_built_in_defaults_apply_without_rules(members):
    rule = selectors.points_rule_for(member=members.a1, activity=Activity.MATERIAL)
    assert rule.pk is None
    assert (rule.points, rule.daily_cap, rule.monthly_cap) == (1, 5, None)


def test_the_nearest_organisation_with_a_rule_wins(tree, members):
    """The county's rule reaches every village; township A's own rule overrides it there."""
    PointsRule.objects.create(organization=tree.county, activity=Activity.LECTURE, points=4)
    PointsRule.objects.create(organization=tree.township_a, activity=Activity.LECTURE, points=3)
    assert selectors.points_rule_for(member=members.a1, activity=Activity.LECTURE).points == 3
    assert selectors.points_rule_for(member=members.b1, activity=Activity.LECTURE).points == 4


def test_daily_cap_withholds_points_beyond_it(tree, members):
    """Points for one activity stop at the daily cap; the next day starts afresh."""
    PointsRule.objects.create(
        organization=tree.township_a, activity=Activity.MATERIAL, points=2, daily_cap=5
    )
    granted = [_grant(members.a1, Activity.MATERIAL, 2).points for _ in range(4)]
    assert granted == [2, 2, 1, 0]
    assert _grant(members.a1, Activity.MATERIAL, 2, on=DAY.replace(day=4)).points == 2
    # Another activity and another member have their own room.
    assert _grant(members.a1, Activity.QUIZ, 3).points == 3
    assert _grant(members.a2, Activity.MATERIAL, 2).points == 2


def test_monthly_cap_withholds_points_but_never_hours(tree, members):
    PointsRule.objects.create(
        organization=tree.county, activity=Activity.TRACK, points=0, monthly_cap=30
    )
    first = _grant(members.a1, Activity.TRACK, 20, hours="2.0")
    second = _grant(members.a1, Activity.TRACK, 20, on=DAY.replace(day=20), hours="2.0")
    assert (first.points, second.points) == (20, 10)
    assert second.hours == Decimal("2.0")
    assert "10" in second.description  # how many the cap withheld
    assert _grant(members.a1, Activity.TRACK, 20, on=datetime.date(2026, 12, 1)).points == 20


def test_a_reversal_frees_room_under_the_cap(tree, members, org_admin_a):
    today = timezone.localdate()  # a reversal is dated the day it is made
    first = _grant(members.a1, Activity.LECTURE, 6, on=today)  # default: 6 a day
    assert _grant(members.a1, Activity.LECTURE, 2, on=today).points == 0
    credit.credit_reverse(entry=first, reason="重复计分", author=org_admin_a)
    assert _grant(members.a1, Activity.LECTURE, 2, on=today).points == 2


def test_the_same_source_is_granted_once(members):
    assert _grant(members.a1, Activity.QUIZ, 3, key="step:1") is not None
    assert _grant(members.a1, Activity.QUIZ, 3, key="step:1") is None
    assert CreditEntry.objects.filter(member=members.a1).count() == 1


def test_completed_steps_earn_the_rules_points(tree, members):
    """A completed step credits its activity's points: the default, or the organisation's."""
    setup = learning_setup(tree.township_a)
    PointsRule.objects.create(organization=tree.township_a, activity=Activity.LECTURE, points=4)
    for step in (setup.steps.material, setup.steps.lecture):
        progress = StepProgress.objects.create(
            member=members.a1, step=step, opened_at=timezone.now()
        )
        step_complete(progress=progress, at=timezone.now())
    entries = CreditEntry.objects.filter(member=members.a1, source=CreditEntry.Source.STEP)
    assert dict(entries.values_list("activity", "points")) == {"material": 1, "lecture": 4}


# --- Reversals and corrections ----------------------------------------------------------


def test_reversal_needs_a_reason_and_negates_the_entry(members, org_admin_a):
    entry = _grant(members.a1, Activity.TRACK, 20, hours="2.0")
    with pytest.raises(ValidationError) as error:
        credit.credit_reverse(entry=entry, reason="  ", author=org_admin_a)
    assert "reason" in error.value.message_dict
    assert not CreditEntry.objects.filter(source=CreditEntry.Source.REVERSAL).exists()

    reversal = credit.credit_reverse(entry=entry, reason="误录", author=org_admin_a)
    assert (reversal.hours, reversal.points, reversal.reverses) == (Decimal("-2.0"), -20, entry)
    assert reversal.author == org_admin_a
    assert reversal.source_key == f"reversal:{entry.pk}"
    totals = CreditEntry.objects.filter(member=members.a1).aggregate(Sum("points"), Sum("hours"))
    assert totals == {"points__sum": 0, "hours__sum": Decimal("0")}


def test_an_entry_is_reversed_once_only(members, org_admin_a):
    entry = _grant(members.a1, Activity.QUIZ, 3)
    reversal = credit.credit_reverse(entry=entry, reason="误录", author=org_admin_a)
    with pytest.raises(ValidationError) as error:
        credit.credit_reverse(entry=entry, reason="再次", author=org_admin_a)
    assert "entry" in error.value.message_dict
    with pytest.raises(ValidationError):
        credit.credit_reverse(entry=reversal, reason="撤销冲正", author=org_admin_a)
    assert CreditEntry.objects.filter(member=members.a1).count() == 2


def test_entries_cannot_be_changed_or_deleted(members):
    entry = _grant(members.a1, Activity.QUIZ, 3)
    entry.points = 300
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert CreditEntry.objects.get(pk=entry.pk).points == 3


def test_correction_adds_an_entry_with_reason_and_author(members, org_admin_a):
    with pytest.raises(ValidationError) as error:
        credit.credit_correct(
            member=members.a1,
            hours=Decimal("1.5"),
            points=5,
            reason="",
            author=org_admin_a,
            occurred_on=DAY,
        )
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        credit.credit_correct(
            member=members.a1, hours=0, points=0, reason="无", author=org_admin_a, occurred_on=DAY
        )
    assert "points" in error.value.message_dict

    entry = credit.credit_correct(
        member=members.a1,
        hours=Decimal("1.5"),
        points=5,
        reason="线下学习补录",
        author=org_admin_a,
        occurred_on=DAY,
    )
    assert entry.source == CreditEntry.Source.CORRECTION
    assert entry.source_key.startswith("correction:")
    assert (entry.hours, entry.points, entry.reason) == (Decimal("1.5"), 5, "线下学习补录")


# --- Races ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_grants_racing_cannot_both_slip_under_the_cap(tree, members):
    """Transactional: each thread commits on its own connection, as two requests would.
    Eight grants of 2 points at once under a daily cap of 5 grant 5 in all."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the row lock matters on PostgreSQL")
    PointsRule.objects.create(
        organization=tree.county, activity=Activity.MATERIAL, points=2, daily_cap=5
    )
    barrier = threading.Barrier(8)
    errors = []

    def grant(index):
        try:
            barrier.wait()
            _grant(members.a1, Activity.MATERIAL, 2, key=f"race:{index}")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=grant, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    entries = CreditEntry.objects.filter(member=members.a1)
    assert entries.count() == 8
    assert entries.aggregate(total=Sum("points"))["total"] == 5
