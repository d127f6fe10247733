"""Telling the other side of a transfer what moved: the nearest org admins, once per step."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal.care.models import Transfer
from portal.inbox.models import Notification
from portal.inbox.services import notifications_send
from portal.registry.models import Organization, Role, RoleAssignment

# Who hears of each step: the side that acts next, or the side that asked.
TRANSFER_TOLD = {
    Transfer.State.SUBMITTED: "destination",
    Transfer.State.ACCEPTED: "source",
    Transfer.State.REJECTED: "source",
    Transfer.State.COMPLETED: "destination",
}


TRANSFER_NOTIFICATION_KINDS = {
    Transfer.State.SUBMITTED: Notification.Kind.REMINDER,
    Transfer.State.ACCEPTED: Notification.Kind.APPROVED,
    Transfer.State.REJECTED: Notification.Kind.REJECTED,
    Transfer.State.COMPLETED: Notification.Kind.REMINDER,
}


def nearest_org_admin_ids(organization: Organization) -> list[int]:
    """The org admins of ``organization`` itself or, if it has none, of its nearest ancestor
    that has some: the county's admins are not told of every village's transfer."""
    paths = [
        organization.path[:end] for end in range(len(organization.path), 0, -Organization.steplen)
    ]
    held = (
        RoleAssignment.objects.filter(
            role=Role.ORG_ADMIN, organization__path__in=paths, user__is_active=True
        )
        .values_list("organization__path", "user_id")
        .order_by("-organization__depth", "user_id")
    )
    nearest = None
    users = []
    for path, user_id in held:
        if nearest not in (None, path):
            break
        nearest = path
        users.append(user_id)
    return users


def transfer_notify(*, transfer_id: int, state: str) -> None:
    """Tell the other side's org admins that the transfer reached ``state``; once only."""
    transfer = (
        Transfer.objects.select_related("member", "source", "destination")
        .filter(pk=transfer_id)
        .first()
    )
    if transfer is None or not transfer.steps.filter(state=state).exists():
        return
    told = getattr(transfer, TRANSFER_TOLD[state])
    with translation.override(settings.LANGUAGE_CODE):  # stored text, read later in any request
        title = _("Membership transfer of %(name)s: %(state)s") % {
            "name": transfer.member.name,
            "state": Transfer.State(state).label,
        }
    notifications_send(
        recipient_ids=nearest_org_admin_ids(told),
        kind=TRANSFER_NOTIFICATION_KINDS[state],
        title=title,
        body=f"{transfer.source} → {transfer.destination}",
        url=reverse("portal_transfer:inspect", args=[transfer.pk]),
        source_key=f"transfer:{transfer.pk}:{state}",
    )
