"""The meeting triggers of the content rules: planned and closed reach the rules assigned
above the branch that holds the meeting; three absences in a row in a branch tell the
member's branch secretary once, through the built-in rule."""

import datetime

import pytest
from django.urls import reverse

from portal.meetings import services
from portal.models import MeetingAttendance, Notification, Role, Rule, RuleExclusion
from tests.portal.rules.helpers import notify, rule_make, told

Status = MeetingAttendance.Status
DAY = datetime.timedelta(days=1)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run ``action`` and then, as after its commit, the rules it raised."""

    def call(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return call


@pytest.fixture
def centre_admin(tree, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.centre, "centre_admin")


def test_a_planned_meeting_tells_the_role_chosen_with_the_members_and_admin_links(
    tree, people, plan, centre_admin, run
):
    """The planner is not told of their own act; a member is sent to their meeting page,
    a secretary to the admin's."""
    secretaries = rule_make(
        "meeting_planned",
        organization=tree.county,
        actions=[notify("secretary", reach="above", title="{kind}：{title}", body="{place}")],
    )
    members = rule_make("meeting_planned", organization=tree.county, actions=[notify("members")])
    meeting = run(plan)
    assert told(secretaries) == {centre_admin}
    told_centre = Notification.objects.get(recipient=centre_admin)
    assert told_centre.title == "主题党日：十二月主题党日"
    assert told_centre.body == "深圳市宝安区党群服务中心"
    assert told_centre.url == reverse("portal_meeting:detail", args=[meeting.pk])
    assert told(members) == {people["member"]}
    told_member = Notification.objects.get(source_key__startswith=f"rule:{members.pk}:")
    assert told_member.url == reverse("my_meeting", args=[meeting.pk])


def test_a_closed_meeting_reaches_rules_assigned_above_its_branch_unless_switched_off(
    tree, members, people, plan, user_with_role, run
):
    township_b = user_with_role(Role.ORG_ADMIN, tree.township_b, "township_b_admin")
    above = rule_make(
        "meeting_closed",
        organization=tree.township_b,
        actions=[notify("secretary", reach="above", body="{present}/{absent}")],
    )
    elsewhere = rule_make(
        "meeting_closed", organization=tree.township_a, actions=[notify("secretary", reach="above")]
    )
    switched_off = rule_make(
        "meeting_closed", organization=tree.county, actions=[notify("secretary", reach="above")]
    )
    RuleExclusion.objects.create(rule=switched_off, organization=tree.village_b1)
    planned = rule_make("meeting_planned", organization=tree.county)
    meeting = plan(organization=tree.village_b1, place="乙一村党员活动室", starts_in=-3 * DAY)
    assert told(planned) == set()  # outside a commit: nothing ran
    run(
        services.meeting_close,
        meeting=meeting,
        user=people["origin"],
        statuses={members.b1.pk: Status.PRESENT},
    )
    assert told(above) == {township_b}  # the secretary who closed it is not told
    assert Notification.objects.get(recipient=township_b).body == "1/0"
    assert told(elsewhere) == told(switched_off) == set()


# --- Three absences in a row -------------------------------------------------------------


@pytest.fixture
def hold(tree, members, people, plan, run):
    """Hold a meeting at 乙一村 ``weeks_ago`` and close it with the member's ``status``."""
    member = members.b1

    def make(weeks_ago: int, status: str):
        meeting = plan(
            organization=tree.village_b1,
            place="乙一村党员活动室",
            starts_in=-datetime.timedelta(weeks=weeks_ago),
        )
        run(
            services.meeting_close,
            meeting=meeting,
            user=people["origin"],
            statuses={member.pk: status},
        )
        return meeting

    return make


def _notices(people):
    return list(Notification.objects.filter(recipient=people["origin"]))


def test_the_third_absence_in_a_row_tells_the_branch_secretary_once(members, people, hold):
    hold(10, Status.ABSENT)
    hold(8, Status.ABSENT)
    assert _notices(people) == []
    hold(6, Status.ABSENT)
    [notice] = _notices(people)
    assert notice.title == "连续3次缺席：乙一党员"
    assert "乙一村党支部" in notice.body
    assert notice.url == reverse("portal_meeting:member", args=[members.b1.pk])
    rule = Rule.objects.get(builtin_key="absent_in_a_row")
    assert told(rule) == {people["origin"]}
    hold(4, Status.ABSENT)  # the same run, longer: nobody told again
    assert len(_notices(people)) == 1


def test_leave_in_between_breaks_the_run(people, hold):
    hold(10, Status.ABSENT)
    hold(8, Status.LEAVE)
    hold(6, Status.ABSENT)
    hold(4, Status.ABSENT)
    assert _notices(people) == []
    hold(2, Status.ABSENT)
    assert len(_notices(people)) == 1


def test_a_correction_completes_a_run_once_and_never_repeats_it(members, people, hold, run):
    """Absent, present, absent; the middle one corrected to absent makes the run (one
    notice), and later corrections of any meeting in it tell nobody again."""
    member = members.b1
    first = hold(10, Status.ABSENT)
    middle = hold(8, Status.PRESENT)
    hold(6, Status.ABSENT)
    assert _notices(people) == []
    for meeting, minutes in ((middle, "<p>补记</p>"), (middle, "<p>再补记</p>"), (first, "")):
        run(
            services.meeting_correct,
            meeting=meeting,
            user=people["origin"],
            statuses={member.pk: Status.ABSENT},
            minutes=minutes,
            decisions="",
        )
    assert len(_notices(people)) == 1


def test_a_retried_task_tells_nobody_twice(
    tree, members, people, plan, hold, django_capture_on_commit_callbacks
):
    """Each queued task (the meeting's, the rules') runs twice, as a retry would."""
    member = members.b1
    hold(10, Status.ABSENT)
    hold(8, Status.ABSENT)
    meeting = plan(
        organization=tree.village_b1, place="乙一村", starts_in=-datetime.timedelta(weeks=6)
    )
    with django_capture_on_commit_callbacks() as callbacks:
        services.meeting_close(
            meeting=meeting, user=people["origin"], statuses={member.pk: Status.ABSENT}
        )
    for callback in callbacks * 2:
        callback()
    assert len(_notices(people)) == 1


def test_the_migration_adds_the_built_in_rule_to_a_site_without_it(db):
    """A site whose 0014 ran before this built-in existed gets it from 0015, once."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("portal.migrations.0015_builtin_rule_absent_in_a_row")
    Rule.objects.filter(builtin_key="absent_in_a_row").delete()
    for _ in range(2):
        migration.builtin_rule_create(apps, None)
    rule = Rule.objects.get(builtin_key="absent_in_a_row")
    assert (rule.trigger, rule.actions[0]["params"]["recipients"]) == (
        "member_absent_in_a_row",
        "secretary",
    )
