"""Background work for content rules: one task per event, with the event's keys only."""

from celery import shared_task

from portal.celery import RETRY
from portal.rules import engine


@shared_task(**RETRY)
def rules_event_run(trigger: str, event_key: str, context: dict) -> None:
    engine.rules_event_handle(trigger=trigger, event_key=event_key, context=context)
