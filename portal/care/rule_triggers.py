"""Membership-transfer triggers of the content rules (submitted, accepted, rejected: a
submitted transfer concerns the destination, who must answer; the answer, the source), and
the member's 1+N liaison as a recipient."""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy

from portal.care.models import Liaison, Transfer
from portal.rules.registry import Event, Recipient, recipient_register
from portal.rules.subjects import member_trigger_register


def _build(state: str):
    def build(transfer: Transfer) -> dict:
        answered = state != Transfer.State.SUBMITTED
        return {
            "title": transfer.member.name,
            "organization": transfer.source if answered else transfer.destination,
            "values": {"destination": transfer.destination.name, "source": transfer.source.name},
        }

    return build


def register_transfer_triggers() -> None:
    for state, label in (
        (Transfer.State.SUBMITTED, gettext_lazy("a transfer is submitted")),
        (Transfer.State.ACCEPTED, gettext_lazy("a transfer is accepted")),
        (Transfer.State.REJECTED, gettext_lazy("a transfer is rejected")),
    ):
        member_trigger_register(
            key=f"transfer_{state}",
            label=label,
            model=Transfer,
            context_key="transfer_id",
            build=_build(state),
            fields=("destination", "source"),
        )


def _liaisons(event: Event, reach: str, level: str) -> Iterable[int]:
    """The member's current 1+N liaisons (the pairing not ended)."""
    if event.member is None:
        return []
    return Liaison.objects.filter(member=event.member, ended_on__isnull=True).values_list(
        "liaison_id", flat=True
    )


def register_liaison_recipient() -> None:
    recipient_register(
        Recipient(key="liaison", label=gettext_lazy("the member's liaison"), resolve=_liaisons)
    )
