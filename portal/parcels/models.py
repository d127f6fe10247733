"""Red packages (红色包裹) on their way: stock, requests, dispatch and receipt.

Stock is not page content: a page's fields come back from its revisions when it is
published, which would undo what requests took. It lives here, beside the page's wing, and
moves only by conditional updates and recorded movements. The catalog's pages are content
(``portal.content.models.catalog``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.content.models import RedPackagePage
from portal.registry.models import Member


class RedPackageStock(models.Model):
    """How many of a red package are left to send."""

    package = models.OneToOneField(
        RedPackagePage,
        verbose_name=_("red package"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="inventory",
    )
    available = models.PositiveIntegerField(_("packages in stock"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("red-package stock")
        verbose_name_plural = _("red-package stock")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(available__gte=0), name="red_package_stock_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.package} · {self.available}"


class StockMovement(models.Model):
    """A change of stock made by hand (restocking, a correction), with who and why."""

    package = models.ForeignKey(
        RedPackagePage,
        verbose_name=_("red package"),
        on_delete=models.CASCADE,
        related_name="stock_movements",
    )
    change = models.IntegerField(_("change"))
    reason = models.CharField(_("reason"), max_length=200)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-made_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.package} {self.change:+d}"


class RedPackageRequest(models.Model):
    """One package for one member: requested by the member or assigned by a secretary,
    dispatched with a courier and tracking number, received when the member confirms."""

    class Source(models.TextChoices):
        REQUESTED = "requested", _("Requested by the member")
        ASSIGNED = "assigned", _("Assigned by the branch")

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting to be sent")
        DISPATCHED = "dispatched", _("On its way")
        RECEIVED = "received", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    package = models.ForeignKey(
        RedPackagePage,
        verbose_name=_("red package"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="red_package_requests",
    )
    source = models.CharField(_("how"), max_length=10, choices=Source.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.WAITING
    )
    # Where to send it, copied when asked: the member may move before it arrives.
    recipient = models.CharField(_("recipient"), max_length=50)
    phone = models.CharField(_("phone"), max_length=11)
    address = models.CharField(_("address"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    courier = models.CharField(_("courier"), max_length=50, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dispatched by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("why it was cancelled"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("red-package request")
        verbose_name_plural = _("red-package requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "member"],
                condition=~models.Q(state="cancelled"),
                name="red_package_request_once_per_member",
            ),
        ]
        indexes = [models.Index(fields=["state", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.package} → {self.member}"
