"""Red-package triggers of the content rules: requested, dispatched, received."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from portal.parcels.models import RedPackageRequest
from portal.rules.subjects import member_trigger_register


def _request(request: RedPackageRequest) -> dict:
    return {
        "title": request.package.title,
        "link": reverse("my_packages"),
        "values": {"courier": request.courier, "tracking_number": request.tracking_number},
    }


def register_parcel_triggers() -> None:
    for key, label in (
        ("package_requested", gettext_lazy("a red package is requested")),
        ("package_dispatched", gettext_lazy("a red package is dispatched")),
        ("package_received", gettext_lazy("a red package is received")),
    ):
        member_trigger_register(
            key=key,
            label=label,
            model=RedPackageRequest,
            context_key="request_id",
            build=_request,
            fields=("courier", "tracking_number"),
        )
