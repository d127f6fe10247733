"""Pace on the yearly study hours: who is behind, and the weekly reminder they get once (the
built-in content rule ``pace_reminder``)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.credit.services import credit_grant
from learning.models import CreditEntry
from learning.pace.selectors import members_behind_pace, pace_target
from learning.pace.services import pace_reminders_send
from portal.models import Notification, Rule, RuleExclusion
from portal.registry import services
from portal.registry.factories import MemberFactory

JULY_1 = datetime.date(2026, 7, 1)


def _hours(member, hours: str, on: datetime.date = JULY_1, key: str = "track:1") -> None:
    credit_grant(
        member_id=member.pk,
        source=CreditEntry.Source.TRACK,
        source_key=key,
        occurred_on=on,
        hours=Decimal(hours),
    )


def test_the_pace_is_the_yearly_hours_times_the_share_of_the_year_gone(settings):
    settings.LEARNING_YEARLY_HOURS = 32
    assert pace_target(datetime.date(2026, 12, 31)) == Decimal("32.0")
    assert pace_target(JULY_1) == Decimal("16.0")  # day 182 of 365
    assert pace_target(datetime.date(2026, 1, 1)) == Decimal("0.1")


def test_members_behind_pace_in_the_subtree_only(tree, members):
    _hours(members.a1, "20.0")
    _hours(members.a2, "15.5")
    behind = members_behind_pace(organizations=[tree.township_a], today=JULY_1)
    assert [(m.pk, m.hours) for m in behind] == [(members.a2.pk, Decimal("15.5"))]
    everyone = members_behind_pace(organizations=[tree.county], today=JULY_1)
    assert [m.pk for m in everyone] == [members.b1.pk, members.a2.pk]


def test_only_this_years_hours_until_today_count_and_reversals_subtract(tree, members):
    _hours(members.a1, "30.0", on=datetime.date(2025, 12, 31), key="track:old")
    _hours(members.a2, "30.0", on=JULY_1 + datetime.timedelta(days=1), key="track:later")
    _hours(members.b1, "20.0", key="track:1")
    _hours(members.b1, "-10.0", key="reversal:1")
    behind = members_behind_pace(organizations=[tree.county], today=JULY_1)
    assert {m.pk: m.hours for m in behind} == {
        members.a1.pk: Decimal("0"),
        members.a2.pk: Decimal("0"),
        members.b1.pk: Decimal("10.0"),
    }


def test_a_host_branch_keeps_the_members_it_hosts(tree, members):
    behind = members_behind_pace(organizations=[tree.host_branch], today=JULY_1)
    assert [m.pk for m in behind] == [members.b1.pk]


def _with_login(member):
    services.member_account_issue(member=member, issued_by=None)
    member.refresh_from_db()
    return member


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send the week's reminders and run, as after the commit, the rules they raised."""

    def call(today):
        with django_capture_on_commit_callbacks(execute=True):
            return pace_reminders_send(today=today)

    return call


def _reminders():
    rule = Rule.objects.get(builtin_key="pace_reminder")
    return Notification.objects.filter(source_key__startswith=f"rule:{rule.pk}:")


def test_each_member_behind_pace_with_a_login_is_reminded_once_a_week(tree, members, send):
    """By the built-in rule: one event per branch with members behind, once a week."""
    a1, a2 = _with_login(members.a1), _with_login(members.a2)
    _hours(a1, "20.0")
    assert send(JULY_1) == 1
    reminder = Notification.objects.get()
    assert reminder.recipient == a2.user
    assert reminder.kind == Notification.Kind.REMINDER
    assert reminder.url == "/learning/record/"
    assert reminder.title == "您本年度的学时进度落后了"
    assert "约 16.0 学时" in reminder.body and "本年度 32 学时" in reminder.body
    rule = Rule.objects.get(builtin_key="pace_reminder")
    assert reminder.source_key == f"rule:{rule.pk}:pace:2026-W27:branch:{tree.village_a2.pk}"
    send(JULY_1 + datetime.timedelta(days=2))
    assert Notification.objects.count() == 1
    send(JULY_1 + datetime.timedelta(days=7))
    assert Notification.objects.filter(recipient=a2.user).count() == 2
    assert Notification.objects.filter(recipient=a1.user).count() == 0


def test_editing_the_rule_changes_the_reminder_and_switching_it_off_stops_it(tree, members, send):
    a2 = _with_login(members.a2)
    rule = Rule.objects.get(builtin_key="pace_reminder")
    rule.actions[0]["params"]["title"] = "{organization}：请抓紧学习（应有{target}学时）"
    rule.full_clean()
    rule.save()
    send(JULY_1)
    assert [n.title for n in _reminders()] == ["甲二村党支部：请抓紧学习（应有16.0学时）"]
    rule.enabled = False
    rule.save()
    assert send(JULY_1 + datetime.timedelta(days=7)) == 0
    assert Notification.objects.filter(recipient=a2.user).count() == 1


def test_the_reminder_is_switched_off_below_an_organisation(tree, members, send):
    _with_login(members.a1), _with_login(members.a2)
    rule = Rule.objects.get(builtin_key="pace_reminder")
    RuleExclusion.objects.create(rule=rule, organization=tree.village_a1)
    send(JULY_1)
    assert {n.recipient for n in _reminders()} == {members.a2.user}


def test_the_reminders_cost_the_same_queries_for_more_members(tree, members, send):
    """Batched: no query per member, the rule's run included."""
    for member in (members.a1, members.a2, members.b1):
        _with_login(member)
    with CaptureQueriesContext(connection) as few:
        send(JULY_1)
    for index in range(30):
        _with_login(MemberFactory(name=f"党员{index}", origin=tree.village_a1))
    with CaptureQueriesContext(connection) as many:
        send(JULY_1 + datetime.timedelta(days=7))
    assert Notification.objects.count() == 3 + 3 + 30
    assert len(many) == len(few)


def test_a_rule_hears_of_members_far_enough_behind(
    tree, members, user_with_role, django_capture_on_commit_callbacks
):
    """The content rules' trigger: the branch secretary hears of members 10+ hours behind."""
    from portal.models import Role, Rule

    secretary = user_with_role(Role.ORG_ADMIN, tree.village_a2, "sec_a2")
    rule = Rule(
        title="落后较多时告知支部书记",
        trigger="member_behind_pace",
        organization=tree.county,
        conditions=[{"key": "threshold", "params": {"number": "hours_behind", "at_least": "10"}}],
        actions=[
            {
                "key": "notify_role",
                "params": {"recipients": "secretary", "title": "{member}落后{hours_behind}学时"},
            }
        ],
    )
    rule.full_clean()
    rule.save()
    _hours(members.a1, "20.0")
    _hours(members.a2, "8.0")  # 8.0 behind: below the threshold
    user_with_role(Role.ORG_ADMIN, tree.village_b1, "sec_b1")
    with django_capture_on_commit_callbacks(execute=True):
        pace_reminders_send(today=JULY_1)
    with django_capture_on_commit_callbacks(execute=True):
        pace_reminders_send(today=JULY_1)  # a rerun in the same week tells nobody twice
    told = Notification.objects.filter(source_key__startswith=f"rule:{rule.pk}:")
    assert [(n.recipient.username, n.title) for n in told] == [("sec_b1", "乙一党员落后16.0学时")]
    assert not told.filter(recipient=secretary).exists()
