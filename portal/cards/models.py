"""The papers a floating member carries: the activity certificate (流动党员活动证) and the
contact card (党员联系卡) on which the host branch records the member's activities."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.registry.models import Member, Organization

VERIFICATION_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
VERIFICATION_LENGTH = 12


def verification_code_new() -> str:
    """Twelve unambiguous characters for the QR code and for typing in by hand."""
    return "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(VERIFICATION_LENGTH))


class ActivityCertificate(models.Model):
    """流动党员活动证: issued by the origin organisation, valid until it expires or is revoked.

    Renewal issues a new certificate that points to the one it replaces; the old one stays
    as history, marked renewed.
    """

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        RENEWED = "renewed", _("Renewed")
        REVOKED = "revoked", _("Revoked")

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="activity_certificates",
    )
    number = models.CharField(_("certificate number"), max_length=30, unique=True)
    code = models.CharField(
        _("verification code"), max_length=12, unique=True, default=verification_code_new
    )
    issued_by = models.ForeignKey(
        Organization,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VALID
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("renewal of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoke_reason = models.CharField(_("why it was revoked"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by (user)"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("activity certificate")
        verbose_name_plural = _("activity certificates")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status="valid"),
                name="activity_certificate_one_valid_per_member",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("issued_on")),
                name="activity_certificate_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ContactCard(models.Model):
    """党员联系卡 for one member and one year, kept by the host branch, read by the origin."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="contact_cards"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    host = models.ForeignKey(
        Organization,
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The year-end activity attestation (活动认证书): the summary as signed, frozen.
    attested_at = models.DateTimeField(_("attested at"), null=True, blank=True)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attestation = models.JSONField(_("attestation summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("contact card")
        verbose_name_plural = _("contact cards")
        ordering = ["-year", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="contact_card_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.year}"


class ContactActivity(models.Model):
    """One activity on a contact card, recorded and countersigned by the host side."""

    class Kind(models.TextChoices):
        MEETINGS = "meetings", _("Three meetings and one lesson")
        THEME_DAY = "theme_day", _("Theme party day")
        VOLUNTEER = "volunteer", _("Volunteer service")
        PRACTICAL = "practical", _("Practical deed for the people")

    card = models.ForeignKey(
        ContactCard,
        verbose_name=_("contact card"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    description = models.CharField(_("what was done"), max_length=300)
    volunteer_hours = models.DecimalField(
        _("volunteer hours"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("countersigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    countersigned_at = models.DateTimeField(_("countersigned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact-card activity")
        verbose_name_plural = _("contact-card activities")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="volunteer", volunteer_hours__gt=0)
                | (~models.Q(kind="volunteer") & models.Q(volunteer_hours__isnull=True)),
                name="contact_activity_hours_only_for_volunteering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.held_on}"
