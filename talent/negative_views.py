"""The negative list (负面清单) on a talent profile, kept by county org admins.

They add an entry with its reason and the date, and lift it later; the profile's flag follows
the open entries (the talent services keep it). Recruiters see the flag on the profile, never
an entry or its reason. Adding and lifting each write an entry in the profile's history,
without the reason.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.log_actions import log

from portal.registry.forms import validation_errors_add

from . import services
from .models import NegativeListEntry, TalentProfile
from .viewsets import county_admin_profile

LOG_NEGATIVE_ADD = "talent.negative_add"
LOG_NEGATIVE_LIFT = "talent.negative_lift"
REASON_MAX_LENGTH = 1000


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
    added_on = _date_field(_("added on"), _("Give the date the entry was added."))

    def clean_added_on(self):
        return _not_in_future(
            self.cleaned_data["added_on"], _("The date added cannot be in the future.")
        )


class NegativeLiftForm(forms.Form):
    lifted_on = _date_field(_("lifted on"), _("Give the date the entry was lifted."))

    def clean_lifted_on(self):
        return _not_in_future(
            self.cleaned_data["lifted_on"], _("The date lifted cannot be in the future.")
        )


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
    profile = county_admin_profile(request, pk)
    if request.method != "POST":
        return _page(request, profile)
    form = NegativeAddForm(request.POST, prefix="add")
    if form.is_valid():
        try:
            with transaction.atomic():
                entry = services.negative_entry_add(
                    profile=profile,
                    reason=form.cleaned_data["reason"],
                    added_by=request.user,
                    added_on=form.cleaned_data["added_on"],
                )
                log(
                    instance=profile,
                    action=LOG_NEGATIVE_ADD,
                    user=request.user,
                    data={"entry": entry.pk, "added_on": entry.added_on.isoformat()},
                )
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            messages.success(request, _("The profile is on the negative list."))
            return redirect("talent_profile:negative_list", pk=profile.pk)
    return _page(request, profile, add_form=form)


def negative_lift_view(request, pk: int, entry_pk: int):
    profile = county_admin_profile(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    entry = get_object_or_404(profile.negative_entries, pk=entry_pk, lifted_on__isnull=True)
    form = NegativeLiftForm(request.POST, prefix=_lift_prefix(entry))
    if form.is_valid():
        try:
            with transaction.atomic():
                services.negative_entry_lift(entry=entry, lifted_on=form.cleaned_data["lifted_on"])
                log(
                    instance=profile,
                    action=LOG_NEGATIVE_LIFT,
                    user=request.user,
                    data={"entry": entry.pk, "lifted_on": entry.lifted_on.isoformat()},
                )
        except ValidationError as exc:
            validation_errors_add(form, exc)
        else:
            messages.success(request, _("The negative-list entry has been lifted."))
            return redirect("talent_profile:negative_list", pk=profile.pk)
    return _page(request, profile, lift_form=form, lift_entry=entry)


def register_log_actions(actions) -> None:
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
