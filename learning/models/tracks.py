"""Learning tracks: ordered steps an editor publishes in a section, and who they are for."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.content.models.mixins import PinyinSlugMixin


class TrackPage(PinyinSlugMixin, Page):
    """A learning track (学习资源包): steps to take in order, worth study hours and points.

    A page in the organisation's section, so the section's editors, reviewers and moderation
    workflow govern it as they govern the section's other pages.
    """

    class Kind(models.TextChoices):
        GENERAL = "general", _("Learning track")
        MONTHLY_PACK = "monthly_pack", _("Monthly pack (one lesson, one film, one practice)")
        RESERVE_CADRE = "reserve_cadre", _("Reserve-cadre training")
        RED_PACKAGE = "red_package", _("Red-package reading")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    summary = models.TextField(_("summary"), max_length=500, blank=True)
    study_hours = models.DecimalField(
        _("study hours"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Credited once to each member who completes the track."),
    )
    points = models.PositiveSmallIntegerField(
        _("points"), default=10, help_text=_("Credited once on completion, within the caps.")
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    is_template = models.BooleanField(
        _("monthly template"),
        default=False,
        help_text=_(
            "A monthly pack template: on the 1st of every month a draft copy is made in this "
            "section for the editors to fill in and submit."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("study_hours"),
                FieldPanel("points"),
                FieldPanel("deadline"),
                FieldPanel("is_template"),
            ],
            heading=_("Credit"),
        ),
        InlinePanel("steps", heading=_("Steps"), label=_("step"), min_num=1),
    ]

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    # A copy of a template (the monthly pack, or the admin's "copy") is a track to take.
    exclude_fields_in_copy = ["is_template"]

    parent_page_types = ["portal.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("learning track")
        verbose_name_plural = _("learning tracks")

    @property
    def organization(self):
        """The organisation whose section holds the track."""
        return self.get_parent().specific.organization


class TrackStep(Orderable):
    """One step of a track: a page to study, a quiz, a book to read, or an offline session."""

    class Kind(models.TextChoices):
        MATERIAL = "material", _("Study material")
        LECTURE = "lecture", _("Micro-lecture")
        QUIZ = "quiz", _("Quiz")
        READING = "reading", _("Red-package reading")
        OFFLINE = "offline", _("Offline session")

    # The page type each kind of step points to; an offline session points to none.
    PAGE_MODELS = {
        Kind.MATERIAL: "portal.StudyMaterialPage",
        Kind.LECTURE: "portal.MicroLecturePage",
        Kind.QUIZ: "learning.QuizPage",
        Kind.READING: "portal.RedPackagePage",
    }

    track = ParentalKey(TrackPage, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The study material, micro-lecture, quiz or red package of this step."),
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Required for an offline session; otherwise the page's title is used."),
    )
    required = models.BooleanField(_("required"), default=True)
    session_starts_at = models.DateTimeField(_("session starts at"), null=True, blank=True)
    session_place = models.CharField(_("session place"), max_length=200, blank=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("page"),
        FieldPanel("title"),
        FieldPanel("required"),
        MultiFieldPanel(
            [FieldPanel("session_starts_at"), FieldPanel("session_place")],
            heading=_("Offline session"),
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        return self.page.title if self.page_id else ""

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.OFFLINE:
            errors = {}
            if not self.title:
                errors["title"] = _("An offline session needs a title.")
            if not self.session_starts_at:
                errors["session_starts_at"] = _("An offline session needs its date and time.")
            if errors:
                raise ValidationError(errors)
            return
        expected = self.PAGE_MODELS.get(self.kind)
        if not self.page_id:
            raise ValidationError({"page": _("Choose the page this step is about.")})
        label = self.page.specific_class._meta.label if self.page.specific_class else ""
        if expected and label != expected:
            message = _("This page does not match the kind of step (%(kind)s).")
            raise ValidationError({"page": message % {"kind": self.get_kind_display()}})

    def get_url(self) -> str:
        """Where a member takes this step: quizzes have their own view, offline sessions
        none (the secretary records attendance)."""
        if self.kind == self.Kind.OFFLINE:
            return ""
        name = "learning:quiz" if self.kind == self.Kind.QUIZ else "learning:step"
        return reverse(name, kwargs={"track_id": self.track_id, "step_id": self.pk})


class TrackAssignment(models.Model):
    """A track assigned to an organisation's subtree (its members now and later) or to one
    named member."""

    track = models.ForeignKey(
        TrackPage, verbose_name=_("track"), on_delete=models.CASCADE, related_name="assignments"
    )
    organization = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="track_assignments",
        help_text=_("All members whose origin organisation lies in this subtree."),
    )
    member = models.ForeignKey(
        "portal.Member",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="track_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("track assignment")
        verbose_name_plural = _("track assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organization__isnull=False, member__isnull=True)
                    | Q(organization__isnull=True, member__isnull=False)
                ),
                name="assignment_organization_xor_member",
            ),
            models.UniqueConstraint(
                fields=["track", "organization"],
                condition=Q(organization__isnull=False),
                name="assignment_once_per_organization",
            ),
            models.UniqueConstraint(
                fields=["track", "member"],
                condition=Q(member__isnull=False),
                name="assignment_once_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.track} → {self.organization or self.member}"

    def clean(self) -> None:
        super().clean()
        if bool(self.organization_id) == bool(self.member_id):
            raise ValidationError(
                {"organization": _("Assign the track to an organisation or to one member.")}
            )
