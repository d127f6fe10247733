"""What a rule can say: its triggers, conditions, actions and recipient roles, by key.

Wings register what they know about (``trigger_register`` from the wing whose service raises
the event, ``condition_register`` and ``action_register`` for what only they can check or
do); the rule stores keys and parameters, validated here with a Django form per entry.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from string import Formatter
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from portal.registry.models.organizations import Organization


@dataclass(frozen=True)
class Event:
    """One happening, loaded from the primary keys it was raised with."""

    trigger: str
    key: str
    organization: Organization | None
    values: Mapping[str, str] = field(default_factory=dict)
    numbers: Mapping[str, float] = field(default_factory=dict)
    page: Any = None
    member: Any = None
    # People the event names, by role key ("member", "author"): user ids.
    people: Mapping[str, frozenset[int]] = field(default_factory=dict)
    link: str = ""
    # Where those who use the admin are sent instead (an edit view), if elsewhere.
    staff_link: str = ""
    kind: str = "reminder"
    # Whoever caused it is never told about their own act (the reviewer who sent it back).
    actor_id: int | None = None
    # Of the users a rule would tell, those who may hear of this event (e.g. only recruiters
    # whose scope holds the talent profile); None: everyone the rule names.
    audience: Callable[[list[int]], Iterable[int]] | None = None


@dataclass(frozen=True)
class Trigger:
    key: str
    label: Any
    load: Callable[..., Event | None]
    # The placeholders a message may use, besides {link}.
    fields: tuple[str, ...] = ("title",)
    numbers: tuple[str, ...] = ()
    for_pages: bool = False


@dataclass(frozen=True)
class Condition:
    key: str
    label: Any
    form: type[forms.Form]
    check: Callable[[Event, dict], bool]


@dataclass(frozen=True)
class Action:
    key: str
    label: Any
    form: type[forms.Form]
    # Runs the action; returns how many people it notified.
    run: Callable[..., int]
    # Names of the form's fields that are message templates.
    templates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recipient:
    key: str
    label: Any
    # (event, reach, level) -> user ids
    resolve: Callable[[Event, str, str], Iterable[int]]


TRIGGERS: dict[str, Trigger] = {}
CONDITIONS: dict[str, Condition] = {}
ACTIONS: dict[str, Action] = {}
RECIPIENTS: dict[str, Recipient] = {}


def trigger_register(trigger: Trigger) -> None:
    TRIGGERS[trigger.key] = trigger


def condition_register(condition: Condition) -> None:
    CONDITIONS[condition.key] = condition


def action_register(action: Action) -> None:
    ACTIONS[action.key] = action


def recipient_register(recipient: Recipient) -> None:
    RECIPIENTS[recipient.key] = recipient


def trigger_choices() -> list[tuple[str, str]]:
    return [(key, str(trigger.label)) for key, trigger in TRIGGERS.items()]


class RuleTemplateError(ValueError):
    """A message template names a placeholder the trigger does not offer."""


def template_names(template: str) -> set[str]:
    try:
        return {name for _text, name, _spec, _conv in Formatter().parse(template) if name}
    except ValueError as exc:
        raise RuleTemplateError(_("The message template is not well formed.")) from exc


def template_check(template: str, trigger: Trigger | None) -> None:
    """Only plain placeholders the trigger offers: no attributes, indexes or conversions."""
    allowed = {"link", *(trigger.fields if trigger else ())}
    try:
        parts = list(Formatter().parse(template))
    except ValueError as exc:
        raise RuleTemplateError(_("The message template is not well formed.")) from exc
    if any(spec or conversion for _text, _name, spec, conversion in parts):
        raise RuleTemplateError(_("Placeholders take no format or conversion: write {title}."))
    unknown = sorted(template_names(template) - allowed)
    if unknown:
        raise RuleTemplateError(
            _("Unknown placeholder {%(name)s}; available: %(available)s")
            % {"name": unknown[0], "available": "、".join(f"{{{n}}}" for n in sorted(allowed))}
        )


def _entry_errors(entry: Any, where: str, registry: Mapping, trigger: Trigger | None) -> list[str]:
    if not isinstance(entry, dict) or entry.get("key") not in registry:
        known = "、".join(registry)
        return [_("%(where)s: unknown kind; one of %(known)s") % {"where": where, "known": known}]
    spec = registry[entry["key"]]
    where = f"{where}（{spec.label}）"
    form = spec.form(data=entry.get("params") or {})
    errors = [
        _("%(where)s, %(field)s: %(error)s")
        % {
            "where": where,
            "field": form.fields[name].label if name in form.fields else name,
            "error": " ".join(messages),
        }
        for name, messages in form.errors.items()
    ]
    for name in getattr(spec, "templates", ()):
        try:
            template_check(str((entry.get("params") or {}).get(name, "")), trigger)
        except RuleTemplateError as exc:
            errors.append(
                _("%(where)s, %(field)s: %(error)s")
                % {"where": where, "field": form.fields[name].label, "error": exc}
            )
    return errors


def rule_definition_errors(*, trigger: str, conditions: Any, actions: Any) -> dict[str, list[str]]:
    """Errors by field of the rule, in words that name the entry and its parameter."""
    errors: dict[str, list[str]] = {}
    spec = TRIGGERS.get(trigger)
    if spec is None:
        errors["trigger"] = [_("Choose a trigger.")]
    if not isinstance(conditions, list):
        errors["conditions"] = [_("Conditions must be a list.")]
    else:
        found = [
            message
            for number, entry in enumerate(conditions, 1)
            for message in _entry_errors(
                entry, _("Condition %(number)s") % {"number": number}, CONDITIONS, spec
            )
        ]
        if found:
            errors["conditions"] = found
    if not isinstance(actions, list) or not actions:
        errors["actions"] = [_("A rule needs at least one action.")]
    else:
        found = [
            message
            for number, entry in enumerate(actions, 1)
            for message in _entry_errors(
                entry, _("Action %(number)s") % {"number": number}, ACTIONS, spec
            )
        ]
        if found:
            errors["actions"] = found
    return errors


def entry_params(entry: dict, registry: Mapping) -> dict:
    """An entry's parameters, cleaned by its form (types as the form makes them)."""
    form = registry[entry["key"]].form(data=entry.get("params") or {})
    if not form.is_valid():
        raise ValueError(_("The rule's parameters are no longer valid: %s") % form.errors.as_text())
    return form.cleaned_data
