"""Triggers about a member (whereabouts, lost contact, red packages, transfers, pace): the
organisation concerned is the member's origin branch; the values are what a message may say,
the name and masked numbers only."""

from collections.abc import Callable
from typing import Any

from django.db.models import Model

from portal.registry.models import Member

from .registry import Event, Trigger, trigger_register

MEMBER_FIELDS = ("title", "member", "member_phone", "organization")


def member_event(
    trigger: str, key: str, member: Member, *, title: str, link: str = "", **extra: Any
) -> Event:
    values = {
        "title": title,
        "member": member.name,
        "member_phone": member.masked_phone,
        "organization": member.origin.name,
        **extra.pop("values", {}),
    }
    return Event(
        trigger=trigger,
        key=key,
        organization=extra.pop("organization", member.origin),
        member=member,
        values=values,
        people={"member": frozenset({member.user_id} - {None})},
        link=link,
        **extra,
    )


def member_trigger_register(
    *,
    key: str,
    label: Any,
    model: type[Model],
    context_key: str,
    build: Callable[[Any], dict],
    fields: tuple[str, ...] = (),
    numbers: tuple[str, ...] = (),
) -> None:
    """Register a trigger raised with ``{context_key: pk}`` of ``model``, whose ``member`` is
    the one concerned; ``build(obj)`` gives ``member_event``'s title, link, values, numbers."""

    def load(*, event_key: str, **context) -> Event | None:
        obj = (
            model.objects.select_related("member__origin")
            .filter(pk=context.get(context_key))
            .first()
        )
        if obj is None:
            return None
        return member_event(key, event_key, obj.member, **build(obj))

    trigger_register(
        Trigger(key=key, label=label, load=load, fields=(*MEMBER_FIELDS, *fields), numbers=numbers)
    )
