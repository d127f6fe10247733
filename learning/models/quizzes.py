"""Quizzes: a question bank per quiz page, and each member's attempts at it."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from portal.content.models.mixins import PinyinSlugMixin

from ..quizzes.blocks import QuestionBankBlock


class QuizPage(PinyinSlugMixin, Page):
    """A quiz (测试): questions drawn at random from its bank, a pass mark and an attempt
    limit. Taken as a step of a learning track."""

    intro = models.TextField(_("introduction"), blank=True)
    questions = StreamField(QuestionBankBlock(), verbose_name=_("question bank"))
    draw_count = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        default=0,
        help_text=_(
            "How many questions each attempt asks, drawn at random from the bank. A retry "
            "draws questions the member was not asked last time while the bank has enough, "
            "so make the bank at least twice this size. Questions and answers are shuffled "
            "for every attempt. 0 asks every question in the bank."
        ),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    attempt_limit = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, help_text=_("0 allows any number of attempts.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("draw_count"), FieldPanel("pass_mark"), FieldPanel("attempt_limit")],
            heading=_("Rules"),
        ),
        FieldPanel("questions"),
    ]

    parent_page_types = ["portal.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def clean(self) -> None:
        super().clean()
        if self.draw_count > len(self.questions):
            count = len(self.questions)
            message = ngettext(
                "The bank has only %(count)d question; draw that many at most.",
                "The bank has only %(count)d questions; draw that many at most.",
                count,
            )
            raise ValidationError({"draw_count": message % {"count": count}})


class QuizAttempt(models.Model):
    """One attempt: the questions drawn (by block id, in the order asked), the order its
    answers were shown in, the answers given and the score.

    ``choice_orders`` maps a question id to the bank's choice indexes in the order shown;
    answers are positions in that order, so the attempt is graded and shown again exactly
    as it was drawn.

    ``number`` counts a member's attempts at a quiz; the unique constraint keeps two
    attempts started at once from slipping past the limit.
    """

    member = models.ForeignKey(
        "portal.Member", on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="attempts")
    step = models.ForeignKey(
        "learning.TrackStep",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quiz_attempts",
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    question_ids = models.JSONField(default=list)
    choice_orders = models.JSONField(default=dict, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "quiz", "number"], name="quiz_attempt_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.quiz} #{self.number}"
