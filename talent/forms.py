"""The forms of a county org admin's steps on a profile: consent (入库同意) and the negative
list (负面清单); and the Chinese lines a ValidationError shows as, field by field."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talent.models import TalentProfile

NOTE_MAX_LENGTH = 500
REASON_MAX_LENGTH = 1000


class ConsentMethod(models.TextChoices):
    """How the member's consent was obtained (kept in the history entry)."""

    SIGNED_FORM = "signed_form", _("Signed a written consent form")
    IN_PERSON = "in_person", _("Agreed in person to staff")
    PHONE = "phone", _("Agreed by phone")
    ONLINE = "online", _("Agreed online in their own account")
    OTHER = "other", _("Other (say how in the note)")


def date_field(label, required_message):
    return forms.DateField(
        label=label,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": required_message,
            "invalid": _("Write the date as 2026-03-01."),
        },
    )


def _note_field():
    return forms.CharField(
        label=_("note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConsentRecordForm(forms.Form):
    given_on = date_field(
        _("date consent was given"), _("Give the date the member gave their consent.")
    )
    method = forms.ChoiceField(
        label=_("how consent was obtained"),
        choices=ConsentMethod.choices,
        error_messages={"required": _("Choose how the consent was obtained.")},
    )
    note = _note_field()

    def __init__(self, *args, profile: TalentProfile, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise ValidationError(_("The date consent was given cannot be in the future."))
        return given_on

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == ConsentMethod.OTHER and not cleaned.get("note"):
            self.add_error("note", _("Say in the note how the consent was obtained."))
        if self.profile.consented_at and not self.profile.consent_withdrawn_at:
            raise ValidationError(_("The member's consent is already recorded."))
        return cleaned


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = date_field(
        _("date consent was withdrawn"), _("Give the date the member withdrew their consent.")
    )
    note = _note_field()

    def __init__(self, *args, profile: TalentProfile, given_on, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile, self.given_on = profile, given_on

    def clean_withdrawn_on(self):
        withdrawn_on = self.cleaned_data["withdrawn_on"]
        if withdrawn_on > timezone.localdate():
            raise ValidationError(_("The date consent was withdrawn cannot be in the future."))
        if self.given_on and withdrawn_on < self.given_on:
            raise ValidationError(
                _("Consent is withdrawn on or after the day it was given (%(date)s).")
                % {"date": self.given_on.isoformat()}
            )
        return withdrawn_on

    def clean(self):
        cleaned = super().clean()
        if not self.profile.consented_at or self.profile.consent_withdrawn_at:
            raise ValidationError(_("There is no consent to withdraw."))
        return cleaned


def _not_in_future(value, message):
    if value > timezone.localdate():
        raise ValidationError(message)
    return value


class NegativeAddForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the reason for the negative-list entry.")},
    )
    added_on = date_field(_("added on"), _("Give the date the entry was added."))

    def clean_added_on(self):
        return _not_in_future(
            self.cleaned_data["added_on"], _("The date added cannot be in the future.")
        )


class NegativeLiftForm(forms.Form):
    lifted_on = date_field(_("lifted on"), _("Give the date the entry was lifted."))

    def clean_lifted_on(self):
        return _not_in_future(
            self.cleaned_data["lifted_on"], _("The date lifted cannot be in the future.")
        )


def error_lines(exc: ValidationError, labels) -> list[str]:
    """Each message prefixed with the Chinese name of the field it is about (``labels``:
    field -> name; a field without one shows its message alone)."""
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    return [
        f"{labels[field]}：{message}" if field in labels else message
        for field, field_messages in exc.message_dict.items()
        for message in field_messages
    ]
