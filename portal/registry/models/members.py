"""The member registry: one row per party member the county keeps on its ledger."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.registry.identity import (
    id_number_normalize,
    id_number_parse,
    mask_id_number,
    mask_phone,
    phone_normalize,
    validate_id_number,
    validate_phone,
)
from portal.registry.models.organizations import Organization

PARTY_MIN_AGE = 18


class Member(models.Model):
    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class FloatingStatus(models.TextChoices):
        FLOATING = "floating", _("Floating")
        RETURNED = "returned", _("Returned home")
        LOCAL = "local", _("Not floating")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )
    name = models.CharField(_("full name"), max_length=50, db_index=True)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    id_number = models.CharField(
        _("ID number"), max_length=18, unique=True, validators=[validate_id_number]
    )
    phone = models.CharField(_("phone"), max_length=11, unique=True, validators=[validate_phone])
    joined_party_on = models.DateField(_("joined the party on"))
    origin = models.ForeignKey(
        Organization,
        verbose_name=_("origin branch"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    floating_status = models.CharField(
        _("floating status"),
        max_length=10,
        choices=FloatingStatus.choices,
        default=FloatingStatus.FLOATING,
        db_index=True,
    )
    floating_since = models.DateField(_("floating since"), null=True, blank=True)
    host = models.ForeignKey(
        Organization,
        verbose_name=_("host organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_members",
    )
    host_city = models.CharField(_("host city"), max_length=50, blank=True)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # The last report, talk or recorded contact: what the lost-contact (失联) job measures from.
    last_contact_on = models.DateField(_("last contact on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["origin__path", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def fill_from_id_number(self) -> None:
        """Normalise the numbers and take gender and birth date from the ID where missing."""
        self.id_number = id_number_normalize(self.id_number)
        self.phone = phone_normalize(self.phone)
        try:
            facts = id_number_parse(self.id_number)
        except ValidationError:
            return  # full_clean reports it against the field
        self.gender = self.gender or facts.gender
        self.birth_date = self.birth_date or facts.birth_date

    def clean_fields(self, exclude=None) -> None:
        self.id_number = id_number_normalize(self.id_number)
        self.phone = phone_normalize(self.phone)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors = {}
        self._clean_identity(errors)
        self._clean_dates(errors)
        self._clean_organisations(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_identity(self, errors: dict) -> None:
        try:
            facts = id_number_parse(self.id_number)
        except ValidationError:
            return  # reported by the field's validator
        if self.birth_date and self.birth_date != facts.birth_date:
            errors["birth_date"] = _("The birth date does not match the ID number.")
        if self.gender and self.gender != facts.gender:
            errors["gender"] = _("The gender does not match the ID number.")

    def _clean_dates(self, errors: dict) -> None:
        today = timezone.localdate()
        if self.joined_party_on and self.joined_party_on > today:
            errors["joined_party_on"] = _("The date joined the party cannot be in the future.")
        elif self.joined_party_on and self.birth_date:
            adult_on = _years_after(self.birth_date, PARTY_MIN_AGE)
            if self.joined_party_on < adult_on:
                errors["joined_party_on"] = _("A member joins the party at 18 or older.")
        floating = self.floating_status == self.FloatingStatus.FLOATING
        if floating and not self.floating_since:
            errors["floating_since"] = _("Say since when the member has been floating.")
        elif self.floating_since and self.floating_since > today:
            errors["floating_since"] = _("The floating date cannot be in the future.")

    def _clean_organisations(self, errors: dict) -> None:
        if self.origin_id and self.origin.is_host:
            errors["origin"] = _("The origin branch must be a home-side organisation.")
        if self.host_id and not self.host.is_host:
            errors["host"] = _("The host organisation must be a host-side organisation.")


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
