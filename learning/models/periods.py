"""Periods of the record: the monthly tally, the quarterly publication (季公示) and the
annual assessment (年考核)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    QUALIFIED = "qualified", _("Qualified")
    BASIC = "basic", _("Basically qualified")
    UNQUALIFIED = "unqualified", _("Unqualified")


class MonthlyTally(models.Model):
    """A member's hours, points and deductions in one month, as the monthly job found them."""

    member = models.ForeignKey(
        "portal.Member", on_delete=models.CASCADE, related_name="monthly_tallies"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    hours = models.DecimalField(_("study hours"), max_digits=6, decimal_places=1, default=0)
    points = models.IntegerField(_("points"), default=0)
    deduction = models.IntegerField(_("12-point deduction"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("monthly tally")
        verbose_name_plural = _("monthly tallies")
        constraints = [
            models.UniqueConstraint(fields=["member", "year", "month"], name="tally_once")
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.year}-{self.month:02d}"


class QuarterlyPublication(models.Model):
    """An organisation's points for a quarter, published to its members (季公示)."""

    organization = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="quarterly_publications",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    note = models.TextField(_("note"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quarterly publication")
        verbose_name_plural = _("quarterly publications")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "quarter"], name="publication_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.year} Q{self.quarter}"


class AnnualAssessment(models.Model):
    """A member's annual assessment: a draft from the rules, which the secretary confirms
    or overrides with a reason."""

    member = models.ForeignKey(
        "portal.Member", on_delete=models.CASCADE, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    hours = models.DecimalField(_("study hours"), max_digits=6, decimal_places=1, default=0)
    points = models.IntegerField(_("points"), default=0)
    score = models.IntegerField(_("12-point score"), default=12)
    # The year's closed meetings the member was expected at, home or host side.
    meetings_present = models.PositiveIntegerField(_("meetings present"), default=0)
    meetings_leave = models.PositiveIntegerField(_("meetings on leave"), default=0)
    meetings_absent = models.PositiveIntegerField(_("meetings absent"), default=0)
    draft_grade = models.CharField(_("draft grade"), max_length=12, choices=Grade.choices)
    draft_reasons = models.JSONField(_("why"), default=list, blank=True)
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices, blank=True)
    override_reason = models.TextField(_("reason for a different grade"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("annual assessment")
        verbose_name_plural = _("annual assessments")
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="assessment_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.year}"

    @property
    def meetings_expected(self) -> int:
        return self.meetings_present + self.meetings_leave + self.meetings_absent

    @property
    def meeting_rate(self) -> float | None:
        """Present over expected, in per cent, as the oversight counts it."""
        expected = self.meetings_expected
        return round(100 * self.meetings_present / expected, 1) if expected else None
