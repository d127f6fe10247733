"""What recruiters keep: their departments' shortlists (候选名单) and their saved searches."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .profiles import TalentProfile


class Shortlist(models.Model):
    """A recruiting department's list of candidates (候选名单), shared by all its recruiters."""

    name = models.CharField(_("name"), max_length=100)
    organization = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("recruiting department"),
        on_delete=models.CASCADE,
        related_name="shortlists",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="talent_shortlist_unique_name",
                violation_error_message=_("The department already has a shortlist of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ShortlistEntry(models.Model):
    """A candidate on a shortlist, with who put them there and a note."""

    shortlist = models.ForeignKey(
        Shortlist, verbose_name=_("shortlist"), on_delete=models.CASCADE, related_name="entries"
    )
    profile = models.ForeignKey(
        TalentProfile,
        verbose_name=_("talent profile"),
        on_delete=models.CASCADE,
        related_name="shortlist_entries",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    note = models.TextField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("shortlist entry")
        verbose_name_plural = _("shortlist entries")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shortlist", "profile"],
                name="talent_shortlist_entry_unique",
                violation_error_message=_("This person is already on the shortlist."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.shortlist} · {self.profile}"


class SavedSearch(models.Model):
    """A recruiter's desk search kept under a name; with ``notify`` on, the owner is told of
    profiles that newly match. ``seen_keys`` holds the profiles that matched at the last check."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="saved_talent_searches",
    )
    name = models.CharField(_("name"), max_length=100)
    # The output of talent.desk.search_query.talent_query_params: {param: [values]}.
    params = models.JSONField(_("search parameters"), default=dict, blank=True)
    notify = models.BooleanField(_("notify me of new matches"), default=False)
    last_checked_at = models.DateTimeField(_("last checked at"), null=True, blank=True)
    seen_keys = models.JSONField(default=list, blank=True)
    # Counts the notifications sent, so each one has its own source key.
    notifications_sent = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"],
                name="talent_saved_search_unique_name",
                violation_error_message=_("You already have a saved search of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name
