"""The engine: which rules an event reaches (assignment, inheritance, switching off below,
sections), once per event under retries, and a broken rule isolated from the others."""

import pytest
from wagtail.models import PageLogEntry

from portal.models import Role, Rule, RuleExclusion, RuleExecution
from portal.rules.engine import rules_event_handle
from portal.rules.tasks import rules_event_run
from tests.portal.content.publishing_support import study_material

from .helpers import notify, rule_make, told


def _published(page):
    return rules_event_handle(
        trigger="page_published", event_key=f"published:{page.pk}", context={"page_id": page.pk}
    )


@pytest.fixture
def secretaries(tree, user_with_role):
    return {
        name: user_with_role(Role.ORG_ADMIN, getattr(tree, name), f"sec_{name}")
        for name in ("township_a", "village_a1", "village_a2", "township_b", "village_b1")
    }


def test_a_rule_applies_down_the_tree_from_where_it_is_assigned(tree, sections, secretaries):
    county_rule = rule_make(organization=tree.county)
    township_rule = rule_make(organization=tree.township_a)
    other_rule = rule_make(organization=tree.township_b)
    _published(study_material(sections.a, publish=True))
    assert told(county_rule) == {
        secretaries[name] for name in ("township_a", "village_a1", "village_a2")
    }
    assert told(township_rule) == told(county_rule)
    assert told(other_rule) == set()
    assert not RuleExecution.objects.filter(rule=other_rule).exists()


def test_a_rule_switched_off_below_does_not_apply_there(tree, sections, secretaries):
    rule = rule_make(organization=tree.county)
    RuleExclusion.objects.create(rule=rule, organization=tree.township_a)
    _published(study_material(sections.a, publish=True))
    assert told(rule) == set()
    _published(study_material(sections.b, "乙乡通知", publish=True))
    assert told(rule) == {secretaries["township_b"], secretaries["village_b1"]}


def test_a_disabled_rule_does_nothing(tree, sections, secretaries):
    rule = rule_make(organization=tree.county, enabled=False)
    _published(study_material(sections.a, publish=True))
    assert told(rule) == set()


def test_a_rule_assigned_to_a_section_applies_to_pages_below_it_only(tree, sections, secretaries):
    rule = rule_make(organization=tree.county, section=sections.b)
    _published(study_material(sections.a, publish=True))
    assert told(rule) == set()
    _published(study_material(sections.b, "乙乡通知", publish=True))
    assert told(rule) == {secretaries["township_b"], secretaries["village_b1"]}


def test_only_the_level_asked_for(tree, sections, secretaries):
    rule = rule_make(
        organization=tree.township_a, actions=[notify("secretary", reach="below", level="village")]
    )
    _published(study_material(sections.a, publish=True))
    assert told(rule) == {secretaries["village_a1"], secretaries["village_a2"]}


def test_a_retried_task_runs_each_rule_once(tree, sections, secretaries):
    rule = rule_make(organization=tree.township_a)
    page = study_material(sections.a, publish=True)
    for _attempt in range(3):
        rules_event_run.delay("page_published", f"published:{page.pk}", {"page_id": page.pk})
    [execution] = RuleExecution.objects.filter(rule=rule)
    assert execution.notified == 3 and execution.error == ""
    assert execution.finished_at is not None
    assert len(told(rule)) == 3


def test_a_run_that_stopped_half_way_is_finished_by_the_retry(tree, sections, secretaries):
    """An execution row left unfinished (the worker died) is run again; nobody told twice."""
    rule = rule_make(organization=tree.township_a)
    page = study_material(sections.a, publish=True)
    RuleExecution.objects.create(rule=rule, event_key=f"published:{page.pk}", trigger=rule.trigger)
    _published(page)
    execution = RuleExecution.objects.get(rule=rule)
    assert execution.finished_at is not None and execution.notified == 3


def test_a_broken_rule_is_recorded_and_the_others_still_run(tree, sections, secretaries):
    missing_group = rule_make(
        organization=tree.county,
        actions=[{"key": "notify_group", "params": {"group": "没有这个组", "title": "{title}"}}],
    )
    bad_template = rule_make(organization=tree.county)
    # Saved past the form (an edit of the trigger, an older rule): the template no longer fits.
    Rule.objects.filter(pk=bad_template.pk).update(actions=[notify("secretary", title="{comment}")])
    working = rule_make(organization=tree.township_a)
    _published(study_material(sections.a, publish=True))

    assert "没有这个组" in RuleExecution.objects.get(rule=missing_group).error
    assert "{comment}" in RuleExecution.objects.get(rule=bad_template).error
    assert told(missing_group) == told(bad_template) == set()
    assert len(told(working)) == 3
    assert RuleExecution.objects.get(rule=working).error == ""


def test_the_log_action_notes_the_rule_in_the_page_history(tree, sections):
    rule = rule_make(
        organization=tree.county,
        actions=[{"key": "log", "params": {"message": "已发布：{title}"}}],
    )
    page = study_material(sections.a, publish=True)
    _published(page)
    entry = PageLogEntry.objects.get(page=page, action="portal.rule")
    assert entry.data == {"rule": rule.title, "message": "已发布：学习新党章"}


def test_the_engine_goes_through_the_commit_hook(
    tree, sections, secretaries, django_capture_on_commit_callbacks
):
    rule = rule_make(organization=tree.township_a)
    page = study_material(sections.a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page.save_revision().publish()
    assert told(rule) == set()
    for callback in callbacks:
        callback()
    assert len(told(rule)) == 3


@pytest.mark.parametrize("template", ["{title:>99999999}", "{title!r}", "{title.__class__}"])
def test_a_template_with_formats_conversions_or_lookups_is_refused(tree, template):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        rule_make(organization=tree.county, actions=[notify("secretary", title=template)])
    assert "actions" in refused.value.message_dict


def test_a_named_group_a_user_and_email(tree, sections, secretaries, settings, mailoutbox):
    from django.contrib.auth.models import Group

    from portal.registry.factories import UserFactory

    settings.EMAIL_HOST = "smtp.example.org"
    group = Group.objects.create(name="宣传小组")
    writer = UserFactory(username="writer", email="writer@example.org")
    writer.groups.add(group)
    by_group = rule_make(
        organization=tree.county,
        actions=[{"key": "notify_group", "params": {"group": "宣传小组", "title": "{title}"}}],
    )
    by_user = rule_make(
        organization=tree.county,
        actions=[
            {"key": "notify_user", "params": {"username": "sec_township_a", "title": "{title}"}}
        ],
    )
    secretary = secretaries["township_a"]
    secretary.email = "sec@example.org"
    secretary.save()
    by_email = rule_make(
        organization=tree.county,
        actions=[
            {
                "key": "email_role",
                "params": {"recipients": "secretary", "title": "新资料：{title}", "body": "{link}"},
            }
        ],
    )
    page = study_material(sections.a, publish=True)
    Group.objects.get(name="宣传小组").user_set.add(
        UserFactory(username="reader", email="reader@example.org")
    )
    _published(page)
    assert {u.username for u in told(by_group)} == {"writer", "reader"}
    assert told(by_user) == {secretaries["township_a"]}
    [mail] = mailoutbox
    assert (mail.subject, mail.to, mail.body) == (
        "新资料：学习新党章",
        ["sec@example.org"],
        page.url,
    )
    assert RuleExecution.objects.get(rule=by_email).notified == 1
