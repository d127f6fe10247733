"""Consent (入库同意) on a member's talent profile, kept by county org admins.

Recording consent puts the member's profile in the pool; withdrawing it takes the profile out
at once. Both go through the talent services, and each writes an entry in the profile's
history: the date the member gave or withdrew consent, how consent was obtained and a note
live there (the profile keeps only when consent was recorded or withdrawn).
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.log_actions import LogFormatter, log
from wagtail.models import ModelLogEntry

from portal.registry.forms import validation_errors_add

from . import services
from .models import TalentProfile
from .viewsets import consent_state, county_admin_profile

LOG_CONSENT_RECORD = "talent.consent_record"
LOG_CONSENT_WITHDRAW = "talent.consent_withdraw"
NOTE_MAX_LENGTH = 500


class ConsentMethod(models.TextChoices):
    """How the member's consent was obtained (kept in the history entry)."""

    SIGNED_FORM = "signed_form", _("Signed a written consent form")
    IN_PERSON = "in_person", _("Agreed in person to staff")
    PHONE = "phone", _("Agreed by phone")
    ONLINE = "online", _("Agreed online in their own account")
    OTHER = "other", _("Other (say how in the note)")


def _date_field(label, required_message):
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
    given_on = _date_field(
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
    withdrawn_on = _date_field(
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


def consent_history(profile: TalentProfile):
    """The profile's consent entries, newest first."""
    return (
        ModelLogEntry.objects.for_instance(profile)
        .filter(action__in=[LOG_CONSENT_RECORD, LOG_CONSENT_WITHDRAW])
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )


def _given_on(profile: TalentProfile):
    """The day the standing consent was given: from its history entry, else the day it was
    recorded (consent recorded before these screens, by the import or the demo)."""
    if not profile.consented_at:
        return None
    entry = consent_history(profile).filter(action=LOG_CONSENT_RECORD).first()
    if entry and entry.data.get("given_on"):
        return datetime.date.fromisoformat(entry.data["given_on"])
    return timezone.localdate(profile.consented_at)


def consent_view(request, pk: int):
    profile = county_admin_profile(request, pk)
    given_on = _given_on(profile)
    record = ConsentRecordForm(prefix="record", profile=profile)
    withdraw = ConsentWithdrawForm(prefix="withdraw", profile=profile, given_on=given_on)
    if request.method == "POST" and profile.member_id:
        if request.POST.get("action") == "withdraw":
            withdraw = ConsentWithdrawForm(
                request.POST, prefix="withdraw", profile=profile, given_on=given_on
            )
            if withdraw.is_valid() and _withdraw(request, profile, withdraw):
                return redirect("talent_profile:consent", pk=profile.pk)
        else:
            record = ConsentRecordForm(request.POST, prefix="record", profile=profile)
            if record.is_valid() and _record(request, profile, record):
                return redirect("talent_profile:consent", pk=profile.pk)
    context = {
        "profile": profile,
        "state": consent_state(profile),
        "standing": bool(profile.consented_at and not profile.consent_withdrawn_at),
        "given_on": given_on,
        "record_form": record,
        "withdraw_form": withdraw,
        "history": consent_history(profile) if profile.member_id else [],
        "methods": dict(ConsentMethod.choices),
    }
    return TemplateResponse(request, "talent/admin/consent.html", context)


def _record(request, profile: TalentProfile, form: ConsentRecordForm) -> bool:
    data = form.cleaned_data
    try:
        with transaction.atomic():
            services.consent_record(profile=profile)
            log(
                instance=profile,
                action=LOG_CONSENT_RECORD,
                user=request.user,
                data={
                    "given_on": data["given_on"].isoformat(),
                    "method": data["method"],
                    "note": data["note"],
                },
            )
    except ValidationError as exc:
        validation_errors_add(form, exc)
        return False
    messages.success(request, _("Consent recorded: the profile is in the talent pool."))
    return True


def _withdraw(request, profile: TalentProfile, form: ConsentWithdrawForm) -> bool:
    data = form.cleaned_data
    try:
        with transaction.atomic():
            services.consent_withdraw(profile=profile)
            log(
                instance=profile,
                action=LOG_CONSENT_WITHDRAW,
                user=request.user,
                data={"withdrawn_on": data["withdrawn_on"].isoformat(), "note": data["note"]},
            )
    except ValidationError as exc:
        validation_errors_add(form, exc)
        return False
    messages.success(request, _("Consent withdrawn: the profile has left the talent pool."))
    return True


# --- The history entries ---------------------------------------------------------------


class ConsentRecorded(LogFormatter):
    label = _("Record consent")

    def format_message(self, log_entry):
        method = log_entry.data.get("method", "")
        return _("Recorded the member's consent, given on %(date)s: %(method)s") % {
            "date": log_entry.data.get("given_on", ""),
            "method": dict(ConsentMethod.choices).get(method, method),
        }

    def format_comment(self, log_entry):
        return log_entry.data.get("note", "")


class ConsentWithdrawn(LogFormatter):
    label = _("Withdraw consent")

    def format_message(self, log_entry):
        return _("Recorded the withdrawal of the member's consent on %(date)s") % {
            "date": log_entry.data.get("withdrawn_on", "")
        }

    def format_comment(self, log_entry):
        return log_entry.data.get("note", "")


def register_log_actions(actions) -> None:
    actions.register_action(LOG_CONSENT_RECORD)(ConsentRecorded)
    actions.register_action(LOG_CONSENT_WITHDRAW)(ConsentWithdrawn)
