"""The content rules' trigger "a talent profile newly matches a base search": the saved
searches' daily check, once per (profile, base search), told only to those whose recruiting
scope holds the profile, with masked numbers only."""

import pytest
from django.contrib.auth.models import Group

from portal.models import Notification, RuleExecution
from portal.rules.tasks import rules_event_run
from talent.models import BaseSearch, TalentProfile
from talent.saved_searches import tasks
from talent.saved_searches.base_matches import TRIGGER, base_match_key, base_search_check
from talent.services import profile_create
from tests.portal.rules.helpers import notify, rule_make, told

from ..shortlist_helpers import PHONE, make_people, make_profiles, reindex

pytestmark = pytest.mark.django_db
OTHER_PHONE = "13900000099"


@pytest.fixture
def people(tree, user_with_role):
    return make_people(tree, user_with_role)


def _qualified(*profiles) -> None:
    TalentProfile.objects.filter(pk__in=[p.pk for p in profiles]).update(latest_grade="qualified")
    reindex()


@pytest.fixture
def base(tree):
    """A base search checked once: 甲一人才 and 乙一人才 matched then."""
    made = make_profiles(tree)
    _qualified(made.a1, made.b1)
    base = BaseSearch.objects.create(name="两委基本条件")
    assert base_search_check(base_search_id=base.pk) == 0  # the first check only records
    base.refresh_from_db()
    assert sorted(base.seen_keys) == sorted([made.a1.pk, made.b1.pk])
    base.profiles = made
    return base


@pytest.fixture
def check(django_capture_on_commit_callbacks):
    def call(base):
        with django_capture_on_commit_callbacks(execute=True):
            return base_search_check(base_search_id=base.pk)

    return call


def _recruiters_rule(tree):
    return rule_make(
        TRIGGER,
        organization=tree.county,
        actions=[notify("recruiters", reach="above", body="{name}，{masked_phone}")],
    )


def test_nothing_is_raised_while_no_rule_listens_and_the_state_stays_fresh(
    tree, people, base, check
):
    _qualified(base.profiles.a2)
    assert check(base) == 0
    base.refresh_from_db()
    assert base.profiles.a2.pk in base.seen_keys
    rule = _recruiters_rule(tree)
    assert check(base) == 0  # 甲二人才 was already seen: no news for the rule switched on later
    assert told(rule) == set()


def test_a_new_match_tells_the_recruiters_in_scope_with_the_phone_masked(tree, people, base, check):
    rule = _recruiters_rule(tree)
    newcomer = profile_create(name="乙二人才", phone=OTHER_PHONE, hometown_village=tree.village_b1)
    _qualified(base.profiles.a2, newcomer)
    assert check(base) == 2
    assert told(rule) == {people.recruiter_a, people.colleague_a, people.recruiter_b}
    [message] = Notification.objects.filter(recipient=people.recruiter_b)
    assert "两委基本条件" in message.title and "乙二人才" in message.title
    assert message.body == f"乙二人才，{newcomer.masked_phone}"
    assert OTHER_PHONE not in message.body and OTHER_PHONE not in message.title
    assert check(base) == 0  # a second run: nothing new


def test_whoever_a_rule_names_only_those_who_may_see_the_profile_are_told(
    tree, people, base, check
):
    group = Group.objects.create(name="人才工作")
    for user in (people.recruiter_a, people.recruiter_b, people.township_admin, people.member):
        user.groups.add(group)
    people.county_admin.groups.add(group)
    rule = rule_make(
        TRIGGER,
        organization=tree.county,
        actions=[{"key": "notify_group", "params": {"group": "人才工作", "title": "{title}"}}],
    )
    _qualified(base.profiles.a2)  # from township A
    check(base)
    assert told(rule) == {people.recruiter_a, people.county_admin}


def test_once_per_profile_and_base_search_under_retries_and_returns(tree, people, base, check):
    rule = _recruiters_rule(tree)
    a2 = base.profiles.a2
    _qualified(a2)
    assert check(base) == 1
    key = base_match_key(base.pk, a2.pk)
    context = {"base_search_id": base.pk, "profile_id": a2.pk}
    rules_event_run.apply(args=(TRIGGER, key, context))  # a retried task
    # It leaves the base search and matches again: the same pair, the rule does not rerun.
    TalentProfile.objects.filter(pk=a2.pk).update(latest_grade="")
    reindex()
    assert check(base) == 0
    _qualified(a2)
    assert check(base) == 1
    assert Notification.objects.filter(recipient=people.recruiter_a).count() == 1
    assert RuleExecution.objects.filter(rule=rule).count() == 1


def test_a_broken_rule_is_isolated_and_the_daily_task_checks_every_base_search(
    tree, people, base, django_capture_on_commit_callbacks
):
    broken = rule_make(
        TRIGGER,
        organization=tree.county,
        actions=[{"key": "notify_group", "params": {"group": "不存在", "title": "{title}"}}],
    )
    fine = _recruiters_rule(tree)
    _qualified(base.profiles.a2)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.saved_searches_notify.apply()
    assert broken.executions.get().error
    assert told(fine) == {people.recruiter_a, people.colleague_a}


def test_a_profile_out_of_the_pool_before_the_rule_runs_is_told_to_nobody(tree, people, base):
    rule = _recruiters_rule(tree)
    a2 = base.profiles.a2
    key = base_match_key(base.pk, a2.pk)
    TalentProfile.objects.filter(pk=a2.pk).delete()
    rules_event_run.apply(args=(TRIGGER, key, {"base_search_id": base.pk, "profile_id": a2.pk}))
    assert told(rule) == set() and not rule.executions.exists()
    assert not Notification.objects.filter(body__contains=PHONE).exists()
