"""The red-package (红色包裹) catalog: bundles of study books mailed to members."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.content.page_views import ContextFromViews
from portal.registry.models import Member, Organization


def isbn_normalize(value: str) -> str:
    return "".join(ch for ch in (value or "").upper() if ch.isdigit() or ch == "X")


def validate_isbn(value: str) -> None:
    """ISBN-13 (or the older ISBN-10), with its check digit."""
    digits = isbn_normalize(value)
    if len(digits) == 13 and digits.isdigit():
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
        if (10 - total % 10) % 10 == int(digits[12]):
            return
    elif len(digits) == 10 and digits[:9].isdigit():
        total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
        check = (11 - total % 11) % 11
        if digits[9] == ("X" if check == 10 else str(check)):
            return
    raise ValidationError(
        _("The ISBN must be 13 digits (or 10) with a correct check digit."), code="isbn"
    )


class RedPackageCatalogPage(ContextFromViews, Page):
    """Lists the section's red packages that members may request."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["portal.SectionPage"]
    subpage_types = ["portal.RedPackagePage"]

    class Meta:
        verbose_name = _("red-package catalog")


class RedPackagePage(ContextFromViews, Page):
    """A bundle of books members may ask for. Its stock is ``inventory`` (parcels.py)."""

    class Eligibility(models.TextChoices):
        ALL_MEMBERS = "all", _("All members")
        FLOATING = "floating", _("Floating members only")

    summary = models.TextField(_("summary"), max_length=300, blank=True)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    eligibility = models.CharField(
        _("who may request it"),
        max_length=10,
        choices=Eligibility.choices,
        default=Eligibility.FLOATING,
    )
    eligible_organizations = ParentalManyToManyField(
        Organization,
        verbose_name=_("only members of"),
        blank=True,
        help_text=_("Leave empty for members of every organisation."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover"),
        InlinePanel("books", label=_("Books"), min_num=1),
        MultiFieldPanel(
            [FieldPanel("eligibility"), FieldPanel("eligible_organizations")],
            heading=_("Requests"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]

    parent_page_types = ["portal.RedPackageCatalogPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("red package")
        verbose_name_plural = _("red packages")

    @property
    def available(self) -> int:
        """Packages left to send; none until stock is first recorded."""
        try:
            return self.inventory.available
        except ObjectDoesNotExist:
            return 0


class RedPackageBook(Orderable):
    package = ParentalKey(RedPackagePage, on_delete=models.CASCADE, related_name="books")
    title = models.CharField(_("book title"), max_length=200)
    publisher = models.CharField(_("publisher"), max_length=100)
    isbn = models.CharField(_("ISBN"), max_length=17, validators=[validate_isbn])

    panels = [FieldPanel("title"), FieldPanel("publisher"), FieldPanel("isbn")]

    class Meta(Orderable.Meta):
        verbose_name = _("book")
        verbose_name_plural = _("books")

    def __str__(self) -> str:
        return self.title


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
