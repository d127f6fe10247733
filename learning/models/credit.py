"""The member record's ledger: study hours, points and 12-point deductions, entry by entry.

Entries are never changed or deleted; a mistake is corrected by a reversing entry with a
reason and an author. ``source_key`` names what an entry is for ("track:12", "step:40",
"deduction:2026-10:whereabouts"), and the database keeps it unique per member: the same
credit can never be counted twice, whatever code runs at the same time.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Activity(models.TextChoices):
    """Kinds of activity that earn points, each with its own caps."""

    TRACK = "track", _("Completed learning track")
    MATERIAL = "material", _("Read a study material")
    LECTURE = "lecture", _("Watched a micro-lecture")
    QUIZ = "quiz", _("Passed a quiz")
    READING = "reading", _("Read a red-package book")
    OFFLINE = "offline", _("Attended an offline session")


class Deduction(models.TextChoices):
    """Failings that cost marks under the 12-point system (十二分制)."""

    MISSED_SESSION = "missed_session", _("Missed organisational life")
    WHEREABOUTS = "whereabouts", _("Whereabouts not reported")


class CreditEntry(models.Model):
    class Source(models.TextChoices):
        TRACK = "track", _("Track completed")
        STEP = "step", _("Step completed")
        DEDUCTION = "deduction", _("12-point deduction")
        CORRECTION = "correction", _("Correction")
        REVERSAL = "reversal", _("Reversal")

    member = models.ForeignKey(
        "portal.Member", on_delete=models.PROTECT, related_name="credit_entries"
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    source_key = models.CharField(_("source key"), max_length=80)
    activity = models.CharField(_("activity"), max_length=12, choices=Activity.choices, blank=True)
    hours = models.DecimalField(_("study hours"), max_digits=5, decimal_places=1, default=0)
    points = models.IntegerField(_("points"), default=0)
    deduction = models.IntegerField(_("12-point deduction"), default=0)
    track = models.ForeignKey(
        "learning.TrackPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="credit_entries",
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    occurred_on = models.DateField(_("date"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit entry")
        verbose_name_plural = _("credit entries")
        constraints = [
            models.UniqueConstraint(fields=["member", "source_key"], name="credit_once_per_source")
        ]
        indexes = [
            models.Index(fields=["occurred_on", "member"]),
            models.Index(fields=["member", "occurred_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.source_key}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("Credit entries cannot be changed; add a reversal instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Credit entries cannot be deleted; add a reversal instead."))


class PointsRule(models.Model):
    """Points per kind of activity and their caps (as 学习强国 caps them), set by an
    organisation for its subtree; the nearest organisation with a rule wins."""

    organization = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="points_rules",
    )
    activity = models.CharField(_("activity"), max_length=12, choices=Activity.choices)
    points = models.PositiveSmallIntegerField(
        _("points"),
        help_text=_("For a completed track the track's own points count, within the caps."),
    )
    daily_cap = models.PositiveSmallIntegerField(
        _("daily cap"), null=True, blank=True, help_text=_("Empty means no cap.")
    )
    monthly_cap = models.PositiveSmallIntegerField(
        _("monthly cap"), null=True, blank=True, help_text=_("Empty means no cap.")
    )

    class Meta:
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")
        constraints = [
            models.UniqueConstraint(fields=["organization", "activity"], name="points_rule_once")
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_activity_display()}"


class DeductionRule(models.Model):
    """Marks lost under the 12-point system for a failing, set by an organisation for its
    subtree and applied by the monthly job."""

    organization = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="deduction_rules",
    )
    kind = models.CharField(_("failing"), max_length=20, choices=Deduction.choices)
    marks = models.PositiveSmallIntegerField(_("marks deducted"), default=1)
    grace_days = models.PositiveSmallIntegerField(
        _("grace days"),
        default=31,
        help_text=_("For whereabouts: days without a report before a month counts as missed."),
    )

    class Meta:
        verbose_name = _("deduction rule")
        verbose_name_plural = _("deduction rules")
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind"], name="deduction_rule_once")
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_kind_display()}"


class AssessmentPolicy(models.Model):
    """The rules of the annual assessment draft for an organisation's subtree."""

    organization = models.OneToOneField(
        "portal.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="assessment_policy",
    )
    min_hours = models.DecimalField(
        _("minimum study hours"), max_digits=4, decimal_places=1, default=Decimal("32")
    )
    excellent_points = models.PositiveIntegerField(_("points for excellent"), default=120)
    qualified_points = models.PositiveIntegerField(_("points for qualified"), default=60)
    excellent_min_score = models.PositiveSmallIntegerField(
        _("12-point score for excellent"), default=12
    )
    qualified_min_score = models.PositiveSmallIntegerField(
        _("12-point score for qualified"), default=9
    )
    basic_min_score = models.PositiveSmallIntegerField(
        _("12-point score for basically qualified"), default=6
    )
    # The contact card (党员联系卡) kept by the host branch: a floating member's year counts
    # as organisational life only once its host attested it (活动认证书).
    min_contact_activities = models.PositiveSmallIntegerField(
        _("countersigned activities for a floating member"),
        default=0,
        help_text=_(
            "A floating member needs an attested contact card with at least this many "
            "countersigned activities to be rated qualified or better; 0 turns the rule off."
        ),
    )

    # Organisational life (三会一课, 主题党日): the closed meetings the member was expected at
    # during the year, on either side. Either rule keeps the draft below excellent.
    max_meeting_absences = models.PositiveSmallIntegerField(
        _("absences without leave allowed for excellent"),
        null=True,
        blank=True,
        help_text=_(
            "A member absent without leave from more of the year's meetings than this is not "
            "drafted excellent; empty turns the rule off."
        ),
    )
    min_meeting_rate = models.PositiveSmallIntegerField(
        _("meeting attendance rate for excellent (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "A member present at fewer of the year's meetings than this share (leave counts "
            "as not present) is not drafted excellent; empty turns the rule off."
        ),
    )

    class Meta:
        verbose_name = _("assessment policy")
        verbose_name_plural = _("assessment policies")

    def __str__(self) -> str:
        return str(self.organization)
