"""CMS page types: the home page, one section per publishing organisation, and the content
editors publish in it (study materials, micro-lectures, notices, the red-package catalog).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.coreutils import resolve_model_string
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.content.blocks import StudyBodyBlock
from portal.content.page_views import ContextFromViews
from portal.registry.models.organizations import Organization

from .mixins import PinyinSlugMixin

ROUTE_CACHE_SECONDS = 600
CONTENT_PAGE_TYPES = [
    "portal.StudyMaterialPage",
    "portal.MicroLecturePage",
    "portal.NoticePage",
    "portal.CollectionPage",
    "portal.RedPackageCatalogPage",
]


class HomePage(ContextFromViews, PinyinSlugMixin, Page):
    """The site's front page: a welcome for visitors, and a member's own summary when logged in."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    service_hotline = models.CharField(_("service hotline"), max_length=30, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("service_hotline")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["portal.SectionPage", "portal.CollectionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Find a page by its whole URL path in one lookup instead of one per tree level.

        Wagtail walks the tree a level at a time, loading each ancestor; here the live page
        whose url_path matches is loaded directly, and which kind of page lives at a path is
        remembered in the cache, so a page costs one query of its own model. The lookup
        itself checks that the page is still live at that path. Anything else (a sub-route
        such as a collection's rss/, or no such page) takes Wagtail's usual walk.
        """
        if path_components:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            page = self._live_page_at(url_path)
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)

    def _live_page_at(self, url_path: str) -> Page | None:
        key = f"portal:page-at:{url_path}"
        known = cache.get(key)
        if known is not None:
            model = ContentType.objects.get_for_id(known[0]).model_class()
            page = model.objects.live().filter(pk=known[1], url_path=url_path).first()
            if page is not None:
                return page
        found = (
            Page.objects.live()
            .filter(url_path=url_path, path__startswith=self.path)
            .values_list("content_type_id", "pk")
            .first()
        )
        if found is None:
            return None
        cache.set(key, found, ROUTE_CACHE_SECONDS)
        model = ContentType.objects.get_for_id(found[0]).model_class()
        return model.objects.filter(pk=found[1]).first()


class SectionPage(ContextFromViews, PinyinSlugMixin, Page):
    """An organisation's own section of the site (Plone's folder with local roles).

    Made by the publishing service with the organisation's editor and reviewer groups and
    its moderation workflow; editors of one organisation cannot touch another's section.
    Other apps add page types below it through the ``register_section_page_types`` hook
    (learning's tracks and quizzes, ADR 0007).
    """

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="section",
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    editors = models.ForeignKey(
        "auth.Group",
        verbose_name=_("editors group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    reviewers = models.ForeignKey(
        "auth.Group",
        verbose_name=_("reviewers group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["portal.HomePage"]
    subpage_types = CONTENT_PAGE_TYPES

    class Meta:
        verbose_name = _("organisation section")

    @classmethod
    def clean_subpage_models(cls):
        """Portal's content types and those registered by the ``register_section_page_types``
        hook (functions returning model labels), read on first use, when every app is loaded."""
        if cls._clean_subpage_models is None:
            labels = [*cls.subpage_types]
            for hook in hooks.get_hooks("register_section_page_types"):
                labels.extend(label for label in hook() if label not in labels)
            cls._clean_subpage_models = [resolve_model_string(label) for label in labels]
        return cls._clean_subpage_models


class StudyMaterialTag(TaggedItemBase):
    content_object = ParentalKey(
        "portal.StudyMaterialPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class MicroLectureTag(TaggedItemBase):
    content_object = ParentalKey(
        "portal.MicroLecturePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class StudyContentMixin(models.Model):
    """What study materials and micro-lectures share: a summary and the hours they count."""

    summary = models.TextField(
        _("summary"), max_length=300, blank=True, help_text=_("One or two sentences for lists.")
    )
    study_hours = models.DecimalField(
        _("study hours"),
        max_digits=4,
        decimal_places=1,
        default=0.5,
        help_text=_("How many study hours (学时) reading or watching it counts for."),
    )
    open_to_public = models.BooleanField(
        _("open to the public"),
        default=False,
        help_text=_("Members-only unless ticked. Takes effect when a reviewer publishes the page."),
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.study_hours is not None and not 0 <= self.study_hours <= 40:
            raise ValidationError({"study_hours": _("Study hours must be between 0 and 40.")})


class StudyMaterialPage(StudyContentMixin, PinyinSlugMixin, Page):  # noqa: DJ008 - Page has __str__
    body = StreamField(StudyBodyBlock(), verbose_name=_("body"))
    tags = ClusterTaggableManager(through=StudyMaterialTag, blank=True, verbose_name=_("tags"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("study_hours"), FieldPanel("tags"), FieldPanel("open_to_public")],
            heading=_("Study"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("study_hours"),
    ]

    parent_page_types = ["portal.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("study material")
        verbose_name_plural = _("study materials")


class MicroLecturePage(StudyContentMixin, PinyinSlugMixin, Page):  # noqa: DJ008 - Page has __str__
    video = models.ForeignKey(
        "portal.Video",
        verbose_name=_("video"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lectures",
    )
    poster = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("poster"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty to use a frame from the video."),
    )
    speaker = models.CharField(_("speaker"), max_length=50, blank=True)
    speaker_title = models.CharField(_("speaker's title"), max_length=100, blank=True)
    transcript = models.TextField(_("transcript"), blank=True)
    tags = ClusterTaggableManager(through=MicroLectureTag, blank=True, verbose_name=_("tags"))
    submitted_by = models.ForeignKey(
        "portal.Member",
        verbose_name=_("submitted by member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_lectures",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("video"),
        FieldPanel("poster"),
        MultiFieldPanel([FieldPanel("speaker"), FieldPanel("speaker_title")], heading=_("Speaker")),
        FieldPanel("transcript"),
        MultiFieldPanel(
            [FieldPanel("study_hours"), FieldPanel("tags"), FieldPanel("open_to_public")],
            heading=_("Study"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("speaker"),
        index.SearchField("transcript"),
    ]

    parent_page_types = ["portal.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("micro-lecture")
        verbose_name_plural = _("micro-lectures")

    @property
    def duration(self) -> float | None:
        return self.video.duration if self.video_id else None

    @property
    def poster_image(self):
        return self.poster or (self.video.poster if self.video_id else None)

    def clean(self) -> None:
        super().clean()
        if self.video_id and not self.video.is_ready and not self._awaits_own_video():
            raise ValidationError({"video": _("This video is not processed yet, or failed.")})

    def _awaits_own_video(self) -> bool:
        """A member's submission is a draft holding their own upload while it is processed;
        it goes to review only once the video is ready (see ``portal.video.submissions``).
        """
        video = self.video
        return (
            not self.live
            and self.submitted_by_id is not None
            and video.status in (video.Status.PENDING, video.Status.PROCESSING)
            and video.uploaded_by_id == self.submitted_by.user_id
        )


class NoticePage(PinyinSlugMixin, Page):
    """A work notice (工作提示): shown in lists only between its effective and expiry dates."""

    body = RichTextField(_("notice"), features=["bold", "italic", "ol", "ul", "link"])
    effective_from = models.DateField(_("effective from"), default=timezone.localdate)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("effective_from"), FieldPanel("expires_on")], heading=_("Dates")
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["portal.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def clean(self) -> None:
        super().clean()
        if self.expires_on and self.effective_from and self.expires_on < self.effective_from:
            raise ValidationError(
                {"expires_on": _("A notice cannot expire before it takes effect.")}
            )

    def is_in_effect(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.effective_from <= day and (self.expires_on is None or day <= self.expires_on)
