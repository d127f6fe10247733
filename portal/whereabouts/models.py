"""Where floating members are: their monthly reports, verified by the origin branch."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.registry.identity import mask_phone, validate_phone
from portal.registry.models import Member, Organization


class WhereaboutsReport(models.Model):
    """One report of where a member lives and works (流动去向), kept as history.

    The member reports from the phone (or a secretary enters it); the origin branch verifies
    it or sends it back with a reason. The newest verified report is what the ledger shows.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        RETURNED = "returned", _("Sent back")

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="whereabouts_reports",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported."))
    city = models.CharField(_("city"), max_length=50)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=11, validators=[validate_phone])
    host = models.ForeignKey(
        Organization,
        verbose_name=_("host organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.CharField(_("why it was sent back"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("whereabouts report")
        verbose_name_plural = _("whereabouts reports")
        ordering = ["-month", "-reported_at"]
        indexes = [
            models.Index(fields=["member", "-month"]),
            models.Index(fields=["status", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.month:%Y-%m} · {self.city}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class LostContact(models.Model):
    """A member flagged 失联: no report and no contact for the configured time.

    Raised by the daily job, listed for the member's branch, cleared (with the date) when the
    member reports or a secretary records contact. One open flag per member at a time.
    """

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="lost_contacts"
    )
    since = models.DateField(_("last heard of on"))
    flagged_on = models.DateField(_("flagged on"))
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cleared by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("lost contact")
        verbose_name_plural = _("lost contacts")
        ordering = ["-flagged_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(cleared_on__isnull=True),
                name="lost_contact_one_open_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.since}"
