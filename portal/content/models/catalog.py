"""The red-package (红色包裹) catalog: bundles of study books mailed to members."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.content.page_views import ContextFromViews
from portal.registry.models import Organization

from .mixins import PinyinSlugMixin


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


class RedPackageCatalogPage(ContextFromViews, PinyinSlugMixin, Page):
    """Lists the section's red packages that members may request."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["portal.SectionPage"]
    subpage_types = ["portal.RedPackagePage"]

    class Meta:
        verbose_name = _("red-package catalog")


class RedPackagePage(ContextFromViews, PinyinSlugMixin, Page):
    """A bundle of books members may ask for; its stock is ``inventory`` (portal.parcels)."""

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
