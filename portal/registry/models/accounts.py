"""Accounts, roles scoped to organisation subtrees, and one-time activation codes."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.registry.identity import mask_login
from portal.registry.models.organizations import Organization


class User(AbstractUser):
    """A login. Members log in with their phone number as the username."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


class Role(models.TextChoices):
    EDITOR = "editor", _("Editor")
    REVIEWER = "reviewer", _("Reviewer")
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    RECRUITER = "recruiter", _("Recruiter")
    MEMBER = "member", _("Member")


class RoleAssignment(models.Model):
    """A role a user holds over one organisation and everything below it (Plone's local roles)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["organization__path", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organization"], name="role_assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        # Shown in messages, confirmations and the admin's log: a member's login is masked.
        login = mask_login(self.user.get_username())
        return f"{login} · {self.get_role_display()} · {self.organization}"


class ActivationCodeQuerySet(models.QuerySet):
    def usable(self) -> "ActivationCodeQuerySet":
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())

    def spent(self) -> "ActivationCodeQuerySet":
        """Codes that can never be used again: used or expired (wrong guesses wear none out)."""
        return self.filter(
            models.Q(used_at__isnull=False) | models.Q(expires_at__lte=timezone.now())
        )


class ActivationCode(models.Model):
    """A one-time code an org admin hands to a member to set their first password.

    Only a hash is stored: the code is shown once, to the admin who made it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="activation_codes",
    )
    code_hash = models.CharField(max_length=128)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    objects = ActivationCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        # The site's time (Asia/Shanghai), as the admin shows every other time.
        created = timezone.localtime(self.created_at) if self.created_at else None
        return f"{self.user} · {created:%Y-%m-%d %H:%M}" if created else str(self.user)
