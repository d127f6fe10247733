"""Plone's Collection: a page that lists the live pages matching its editor's criteria, after
the pages pinned to it (by an editor, or by the content rules' "add the page to a
collection" action), which it shows first whatever the criteria."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page

from portal.content.page_views import ContextFromViews, page_view_for
from portal.registry.models.organizations import Organization

from .mixins import PinyinSlugMixin

LISTABLE_MODELS = ["studymaterialpage", "microlecturepage", "noticepage", "redpackagepage"]


class CollectionPage(ContextFromViews, RoutablePageMixin, PinyinSlugMixin, Page):
    """Lists the live pages matching the editor's criteria, a page at a time, with RSS."""

    page_types = ParentalManyToManyField(
        ContentType,
        verbose_name=_("page types"),
        blank=True,
        limit_choices_to=Q(app_label="portal", model__in=LISTABLE_MODELS),
        help_text=_("Leave empty for every kind of content."),
    )
    tags = ParentalManyToManyField(
        "taggit.Tag",
        verbose_name=_("tags"),
        blank=True,
        help_text=_("Pages with any of these tags; leave empty for all."),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("Only pages in the sections of this organisation and those below it."),
    )
    published_from = models.DateField(_("published from"), null=True, blank=True)
    published_until = models.DateField(_("published until"), null=True, blank=True)
    per_page = models.PositiveSmallIntegerField(_("items per page"), default=10)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("page_types", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
                FieldPanel("organization"),
                FieldPanel("published_from"),
                FieldPanel("published_until"),
            ],
            heading=_("Criteria"),
        ),
        InlinePanel("pinned_pages", heading=_("Pinned pages"), label=_("pinned page")),
        FieldPanel("per_page"),
    ]

    parent_page_types = ["portal.HomePage", "portal.SectionPage"]
    subpage_types = []

    class Meta:
        # A context: Wagtail's own "collection" (of images and documents) is another thing.
        verbose_name = pgettext_lazy("collection page", "collection")
        verbose_name_plural = pgettext_lazy("collection page", "collections")

    def clean(self) -> None:
        super().clean()
        window = (self.published_from, self.published_until)
        if all(window) and window[1] < window[0]:
            raise ValidationError(
                {"published_until": _("The end of the window is before its start.")}
            )
        if not 1 <= (self.per_page or 0) <= 100:
            raise ValidationError({"per_page": _("Between 1 and 100 items per page.")})

    @path("rss/", name="rss")
    def rss(self, request):
        return page_view_for(self, "rss")(self, request)


class CollectionPin(Orderable):
    """A page pinned to a collection: listed first, in this order, whatever the criteria (it
    is still shown only when live and to those who may open it). Part of the collection's
    revisions, like its criteria."""

    collection = ParentalKey(CollectionPage, on_delete=models.CASCADE, related_name="pinned_pages")
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("page", [f"portal.{name}" for name in LISTABLE_MODELS])]

    class Meta(Orderable.Meta):
        verbose_name = _("pinned page")
        verbose_name_plural = _("pinned pages")

    def __str__(self) -> str:
        return f"{self.collection} · {self.page}"
