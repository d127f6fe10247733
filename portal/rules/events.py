"""Where every wing raises an event for the content rules."""

from portal.rules.tasks import rules_event_run


def rules_event(trigger: str, *, event_key: str, **context: int | str | None) -> None:
    """Queue the rules for ``trigger`` once the transaction commits. ``event_key`` names the
    event (a retried or repeated raise with the same key runs no rule twice); ``context``
    holds the primary keys the trigger's loader reads."""
    rules_event_run.delay_on_commit(trigger, event_key, context)
