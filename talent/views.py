"""A county org admin's steps on a talent profile: consent (入库同意) and the negative list
(负面清单). Who may: talent.selectors.county_admin_profile.

Recording consent puts the member's profile in the pool; withdrawing it takes the profile out
at once. The date the member gave or withdrew consent, how consent was obtained and a note
live in the profile's history entry (the profile keeps only when consent was recorded or
withdrawn). A negative-list entry is added with its reason and date and lifted later; the
profile's flag follows the open entries (the services keep it). Recruiters see the flag on
the profile, never an entry or its reason, and the history entries leave the reason out.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.log_actions import LogFormatter, log
from wagtail.models import ModelLogEntry

from portal.registry.forms import validation_errors_add
from talent import services
from talent.forms import (
    ConsentMethod,
    ConsentRecordForm,
    ConsentWithdrawForm,
    NegativeAddForm,
    NegativeLiftForm,
)
from talent.models import NegativeListEntry, TalentProfile
from talent.selectors import consent_state, county_admin_profile

LOG_CONSENT_RECORD = "talent.consent_record"
LOG_CONSENT_WITHDRAW = "talent.consent_withdraw"
LOG_NEGATIVE_ADD = "talent.negative_add"
LOG_NEGATIVE_LIFT = "talent.negative_lift"


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
    profile = county_admin_profile(request.user, pk)
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


def _logged_step(request, profile: TalentProfile, form, *, step, action: str, done: str) -> bool:
    """Take a step on the profile and write its history entry in one transaction; ``step``
    returns the entry's data. A refusal goes onto the form; return whether it was taken."""
    try:
        with transaction.atomic():
            log(instance=profile, action=action, user=request.user, data=step())
    except ValidationError as exc:
        validation_errors_add(form, exc)
        return False
    messages.success(request, done)
    return True


def _record(request, profile: TalentProfile, form: ConsentRecordForm) -> bool:
    data = form.cleaned_data

    def step() -> dict:
        services.consent_record(profile=profile)
        return {
            "given_on": data["given_on"].isoformat(),
            "method": data["method"],
            "note": data["note"],
        }

    done = _("Consent recorded: the profile is in the talent pool.")
    return _logged_step(request, profile, form, step=step, action=LOG_CONSENT_RECORD, done=done)


def _withdraw(request, profile: TalentProfile, form: ConsentWithdrawForm) -> bool:
    data = form.cleaned_data

    def step() -> dict:
        services.consent_withdraw(profile=profile)
        return {"withdrawn_on": data["withdrawn_on"].isoformat(), "note": data["note"]}

    done = _("Consent withdrawn: the profile has left the talent pool.")
    return _logged_step(request, profile, form, step=step, action=LOG_CONSENT_WITHDRAW, done=done)


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


# --- The negative list -----------------------------------------------------------------


def _lift_prefix(entry: NegativeListEntry) -> str:
    return f"lift-{entry.pk}"


def _page(request, profile: TalentProfile, *, add_form=None, lift_form=None, lift_entry=None):
    entries = list(profile.negative_entries.select_related("added_by"))
    current = [
        (
            entry,
            lift_form if entry == lift_entry else NegativeLiftForm(prefix=_lift_prefix(entry)),
        )
        for entry in entries
        if not entry.lifted_on
    ]
    context = {
        "profile": profile,
        "add_form": add_form or NegativeAddForm(prefix="add"),
        "current": current,
        "lifted": [entry for entry in entries if entry.lifted_on],
    }
    return TemplateResponse(request, "talent/admin/negative_list.html", context)


def negative_list_view(request, pk: int):
    profile = county_admin_profile(request.user, pk)
    if request.method != "POST":
        return _page(request, profile)
    form = NegativeAddForm(request.POST, prefix="add")

    def step() -> dict:
        entry = services.negative_entry_add(
            profile=profile,
            reason=form.cleaned_data["reason"],
            added_by=request.user,
            added_on=form.cleaned_data["added_on"],
        )
        return {"entry": entry.pk, "added_on": entry.added_on.isoformat()}

    done = _("The profile is on the negative list.")
    if form.is_valid() and _logged_step(
        request, profile, form, step=step, action=LOG_NEGATIVE_ADD, done=done
    ):
        return redirect("talent_profile:negative_list", pk=profile.pk)
    return _page(request, profile, add_form=form)


def negative_lift_view(request, pk: int, entry_pk: int):
    profile = county_admin_profile(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    entry = get_object_or_404(profile.negative_entries, pk=entry_pk, lifted_on__isnull=True)
    form = NegativeLiftForm(request.POST, prefix=_lift_prefix(entry))

    def step() -> dict:
        services.negative_entry_lift(entry=entry, lifted_on=form.cleaned_data["lifted_on"])
        return {"entry": entry.pk, "lifted_on": entry.lifted_on.isoformat()}

    done = _("The negative-list entry has been lifted.")
    if form.is_valid() and _logged_step(
        request, profile, form, step=step, action=LOG_NEGATIVE_LIFT, done=done
    ):
        return redirect("talent_profile:negative_list", pk=profile.pk)
    return _page(request, profile, lift_form=form, lift_entry=entry)


def register_log_actions(actions) -> None:
    actions.register_action(LOG_CONSENT_RECORD)(ConsentRecorded)
    actions.register_action(LOG_CONSENT_WITHDRAW)(ConsentWithdrawn)
    actions.register_action(
        LOG_NEGATIVE_ADD,
        _("Add to the negative list"),
        _("Added an entry to the negative list"),
    )
    actions.register_action(
        LOG_NEGATIVE_LIFT,
        _("Lift a negative-list entry"),
        _("Lifted a negative-list entry"),
    )
