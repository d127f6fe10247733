"""Runs the rules an event reaches: once per (rule, event), each rule on its own, so that one
broken rule is recorded on its execution and the others still run."""

import logging

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .actions import RuleBroken
from .models import Rule, RuleExecution
from .registry import ACTIONS, CONDITIONS, TRIGGERS, Event, RuleTemplateError, entry_params
from .selectors import rules_for_event

logger = logging.getLogger(__name__)

# What a broken rule raises: missing objects, bad parameters or templates, a failed write.
RULE_ERRORS = (
    RuleBroken,
    RuleTemplateError,
    ValidationError,
    ObjectDoesNotExist,
    ValueError,
    KeyError,
    IndexError,
    DatabaseError,
    OSError,
)


def event_load(trigger: str, event_key: str, context: dict) -> Event | None:
    spec = TRIGGERS.get(trigger)
    if spec is None:
        logger.warning("content rules: unknown trigger %s", trigger)
        return None
    return spec.load(event_key=event_key, **context)


def rule_applies(rule: Rule, event: Event) -> bool:
    return all(
        CONDITIONS[entry["key"]].check(event, entry_params(entry, CONDITIONS))
        for entry in rule.conditions
    )


def rule_actions_run(rule: Rule, event: Event) -> int:
    notified = 0
    for entry in rule.actions:
        spec = ACTIONS.get(entry.get("key"))
        if spec is None:
            raise RuleBroken(_("Unknown action %s.") % entry.get("key"))
        notified += spec.run(rule, event, entry_params(entry, ACTIONS))
    return notified


def rule_run(rule: Rule, event: Event) -> RuleExecution | None:
    """Run one rule for one event, unless it already ran to the end for it."""
    try:
        applies = rule_applies(rule, event)
    except RULE_ERRORS as exc:
        applies, error = True, str(exc)
    else:
        error = ""
    if not applies:
        return None
    execution, _created = RuleExecution.objects.get_or_create(
        rule=rule, event_key=event.key[:100], defaults={"trigger": event.trigger}
    )
    if execution.finished_at is not None:
        return execution
    notified = 0
    if not error:
        try:
            with transaction.atomic():
                notified = rule_actions_run(rule, event)
        except RULE_ERRORS as exc:
            error = str(exc) or exc.__class__.__name__
    execution.notified, execution.error = notified, error
    execution.finished_at = timezone.now()
    execution.save(update_fields=["notified", "error", "finished_at"])
    return execution


def rules_event_handle(*, trigger: str, event_key: str, context: dict) -> list[RuleExecution]:
    event = event_load(trigger, event_key, context)
    if event is None:
        return []
    return [e for rule in rules_for_event(event) if (e := rule_run(rule, event)) is not None]
