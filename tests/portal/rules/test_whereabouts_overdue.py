"""The "whereabouts report overdue" trigger: a daily check, once per (member, month) for each
rule, on the first day its threshold on the days overdue holds."""

import datetime

import pytest

from portal.models import Notification, Role, RuleExecution, WhereaboutsReport
from portal.rules.tasks import rules_event_run
from portal.whereabouts.overdue import months_overdue, overdue_key, whereabouts_overdue_raise
from portal.whereabouts.tasks import whereabouts_overdue_raise as overdue_task

from .helpers import notify, rule_make, told

OCTOBER = datetime.date(2026, 10, 1)


def _day(number: int) -> datetime.date:
    """The ``number``-th day after October's last."""
    return datetime.date(2026, 10, 31) + datetime.timedelta(days=number)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def call(today):
        with django_capture_on_commit_callbacks(execute=True):
            return whereabouts_overdue_raise(today=today)

    return call


@pytest.fixture
def secretaries(tree, user_with_role):
    return {
        code: user_with_role(Role.ORG_ADMIN, getattr(tree, f"village_{code}"), f"sec_{code}")
        for code in ("a1", "a2", "b1")
    }


def _reported(member, month=OCTOBER, status=WhereaboutsReport.Status.SUBMITTED):
    WhereaboutsReport.objects.create(
        member=member,
        month=month,
        city="深圳",
        address="某路1号",
        phone="13800000000",
        status=status,
    )


def _week_late(organization, **fields):
    return rule_make(
        "whereabouts_overdue",
        organization=organization,
        conditions=[{"key": "threshold", "params": {"number": "days_overdue", "at_least": "7"}}],
        actions=[notify("secretary", title="{member} {month} 逾期 {days_overdue} 天")],
        **fields,
    )


def test_months_overdue_lists_the_months_in_the_window():
    today = datetime.date(2026, 12, 10)
    assert months_overdue(today, low=1, high=15) == [datetime.date(2026, 11, 1)]
    assert months_overdue(today, low=1, high=45) == [
        datetime.date(2026, 11, 1),
        datetime.date(2026, 10, 1),
    ]
    assert months_overdue(today, low=20, high=45) == [datetime.date(2026, 10, 1)]


def test_nothing_is_raised_while_no_rule_listens(tree, members, run):
    assert run(_day(10)) == 0
    rule = _week_late(tree.county, enabled=False)
    assert run(_day(10)) == 0
    assert not rule.executions.exists()


def test_a_rule_runs_once_per_member_and_month_on_the_first_day_the_threshold_holds(
    tree, members, secretaries, run
):
    _reported(members.a2)  # filed for October: nothing owed
    _reported(members.b1, status=WhereaboutsReport.Status.RETURNED)  # sent back: still owed
    rule = _week_late(tree.county)
    assert run(_day(6)) == 0  # below every rule's threshold: nothing raised at all
    assert told(rule) == set()
    assert run(_day(7)) == 2
    assert told(rule) == {secretaries["a1"], secretaries["b1"]}
    [message] = Notification.objects.filter(recipient=secretaries["a1"])
    assert message.title == "甲一党员 2026-10 逾期 7 天"
    # The next day, and a rerun: every listening rule has run, so nothing is raised again.
    assert run(_day(8)) == 0 and run(_day(8)) == 0
    assert Notification.objects.count() == 2
    assert RuleExecution.objects.filter(rule=rule).count() == 2


def test_the_beat_task_checks_today_and_a_retried_event_runs_nothing_twice(
    tree, members, secretaries, monkeypatch, django_capture_on_commit_callbacks
):
    rule = _week_late(tree.county)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: _day(9))
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_task.apply().get() == 3
    key = overdue_key(members.a1.pk, OCTOBER)
    context = {"member_id": members.a1.pk, "month": OCTOBER.isoformat(), "day": _day(9).isoformat()}
    rules_event_run.apply(args=("whereabouts_overdue", key, context))
    rules_event_run.apply(args=("whereabouts_overdue", key, context))
    assert told(rule) == set(secretaries.values())
    assert Notification.objects.filter(recipient=secretaries["a1"]).count() == 1
    assert RuleExecution.objects.filter(rule=rule, event_key=key).count() == 1


def test_a_member_floating_since_the_month_began_owes_nothing_for_it(
    tree, members, secretaries, run
):
    members.a1.floating_since = datetime.date(2026, 10, 1)
    members.a1.save(update_fields=["floating_since"])
    rule = _week_late(tree.county)
    run(_day(7))
    assert told(rule) == {secretaries["a2"], secretaries["b1"]}


def test_scope_and_a_broken_rule_isolated(tree, members, secretaries, run):
    """A rule assigned to township A never hears of township B's member; a rule naming a
    missing group records its error and the other still runs."""
    township = _week_late(tree.township_a)
    broken = rule_make(
        "whereabouts_overdue",
        organization=tree.county,
        actions=[{"key": "notify_group", "params": {"group": "不存在的组", "title": "{title}"}}],
    )
    run(_day(1))  # the broken rule has no threshold: it runs from the first day
    assert told(township) == set()
    assert all(e.error for e in broken.executions.all()) and broken.executions.count() == 3
    run(_day(7))
    assert told(township) == {secretaries["a1"], secretaries["a2"]}
    assert broken.executions.count() == 3  # each event ran once for it, broken or not
