"""Content rules (Plone's): when a trigger fires, if the conditions hold, run the actions.

A rule is assigned to an organisation and applies to its whole subtree (for page triggers,
optionally to one page's subtree as well), unless a ``RuleExclusion`` switches it off below.
Conditions and actions are lists of ``{"key": ..., "params": {...}}`` validated against the
registry in ``portal.rules.registry``; each execution is logged once per (rule, event).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.registry.models.organizations import Organization


class RuleQuerySet(models.QuerySet):
    def enabled(self) -> "RuleQuerySet":
        return self.filter(enabled=True)


class Rule(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    enabled = models.BooleanField(_("enabled"), default=True, db_index=True)
    trigger = models.CharField(_("trigger"), max_length=50, db_index=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("assigned to"),
        on_delete=models.CASCADE,
        related_name="rules",
        null=True,
        blank=True,
        help_text=_(
            "The rule applies to this organisation and every one below it; "
            "leave empty for the whole site (superusers only)."
        ),
    )
    section = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("section"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For page triggers: only pages at or below this page."),
    )
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    actions = models.JSONField(_("actions"), default=list)
    # A built-in rule (created by the migration) is kept by this key: seed_demo finds it again.
    builtin_key = models.CharField(max_length=50, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("content rule")
        verbose_name_plural = _("content rules")
        ordering = [models.F("organization__path").asc(nulls_first=True), "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from portal.rules.registry import rule_definition_errors

        errors = rule_definition_errors(
            trigger=self.trigger, conditions=self.conditions, actions=self.actions
        )
        if errors:
            raise ValidationError(errors)


class RuleExclusion(models.Model):
    """The rule is switched off at this organisation and everything below it."""

    rule = models.ForeignKey(
        Rule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="exclusions"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("switched off at"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("rule switched off")
        verbose_name_plural = _("rules switched off")
        constraints = [
            models.UniqueConstraint(fields=["rule", "organization"], name="rule_exclusion_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} · {self.organization}"

    def clean(self) -> None:
        rule_org = getattr(self.rule, "organization", None)
        if rule_org and self.organization_id and not self.organization.is_descendant_of(rule_org):
            raise ValidationError(
                {"organization": _("Switch a rule off only below where it is assigned.")}
            )


class RuleExecution(models.Model):
    """One run of a rule for one event; a retried task finds it and runs nothing twice."""

    rule = models.ForeignKey(
        Rule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="executions"
    )
    event_key = models.CharField(_("event"), max_length=100)
    trigger = models.CharField(_("trigger"), max_length=50)
    started_at = models.DateTimeField(_("when"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    notified = models.PositiveIntegerField(_("notified"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("rule execution")
        verbose_name_plural = _("rule executions")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "event_key"], name="rule_execution_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} · {self.event_key}"
