"""Membership-transfer triggers of the content rules: submitted, accepted, rejected. A
submitted transfer concerns the destination (who must answer); the answer, the source."""

from django.utils.translation import gettext_lazy

from portal.care.models import Transfer
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
