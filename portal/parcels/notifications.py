"""Telling a member their red package is on its way: once, however often the task runs."""

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.inbox.models import Notification
from portal.inbox.services import notifications_send
from portal.parcels.models import RedPackageRequest

State = RedPackageRequest.State


def package_dispatch_notify(*, request_id: int) -> None:
    """Tell the member their package is on its way, once per request (``source_key``)."""
    request = (
        RedPackageRequest.objects.select_related("package", "member")
        .filter(pk=request_id, state__in=[State.DISPATCHED, State.RECEIVED])
        .first()
    )
    if request is None or request.member.user_id is None:
        return
    body = _("%(courier)s, tracking number %(number)s.") % {
        "courier": request.courier,
        "number": request.tracking_number,
    }
    notifications_send(
        recipient_ids=[request.member.user_id],
        kind=Notification.Kind.REMINDER,
        title=_("Your red package is on its way: %(title)s") % {"title": request.package.title},
        body=body,
        url=reverse("my_packages"),
        source_key=f"parcel_dispatched:{request.pk}",
    )
