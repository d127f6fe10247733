"""The contact reveals report (已查看联系方式记录) in the admin's Reports menu: who revealed
whose contact, why, and when, with filters and a spreadsheet export; and the reason shown in
the profile's own history.

County org admins (and superusers) read every reveal, a recruiter their own, anyone else is
refused (``talent.desk.selectors.can_see_contact_reveals``). The people revealed appear with
masked numbers only; numbers typed into a reason are masked too. Exports neutralise formulas
as the project's own workbooks do (``portal.ledger.files.cell_safe``).
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports.base import ReportView
from wagtail.log_actions import LogFormatter
from wagtail.models import ModelLogEntry

from portal.models import Organization
from portal.registry.logging import redact
from portal.registry.spreadsheets import cell_safe
from talent.desk.selectors import (
    REVEAL_ACTION,
    can_see_contact_reveals,
    contact_revealers,
    contact_reveals_of_township,
    contact_reveals_visible_to,
)
from talent.models import TalentProfile

NONE = "—"


def reveal_reason(log_entry) -> str:
    """The reason given, numbers masked."""
    return redact(str((log_entry.data or {}).get("reason", "")))


class RevealFormatter(LogFormatter):
    """How a reveal reads in the profile's history and the site history: with its reason."""

    label = _("Reveal contact")

    def format_message(self, log_entry):
        reason = reveal_reason(log_entry)
        if not reason:
            return _("Contact details revealed")
        return _("Contact details revealed. Reason: %(reason)s") % {"reason": reason}


def register_log_actions(actions) -> None:
    actions.register_action(REVEAL_ACTION)(RevealFormatter)


def user_shown(user) -> str:
    """A user as the report names them: a login that is a phone number is masked."""
    return redact((user.get_full_name().strip() or user.get_username()) if user else "")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return user_shown(obj)


class UserChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = UserChoiceField


class ContactRevealFilterSet(WagtailFilterSet):
    user = UserChoiceFilter(
        label=_("Revealed by"),
        empty_label=_("Anyone"),
        queryset=lambda request: contact_revealers(contact_reveals_visible_to(request.user)),
    )
    timestamp = django_filters.DateFromToRangeFilter(
        label=_("Revealed on"), widget=DateRangePickerWidget
    )
    township = django_filters.ModelChoiceFilter(
        label=_("Home township"),
        empty_label=_("Any township"),
        queryset=Organization.objects.filter(level=Organization.Level.TOWNSHIP).order_by("path"),
        method="filter_township",
    )

    def filter_township(self, queryset, name, value):
        return contact_reveals_of_township(queryset, value) if value else queryset

    class Meta:
        model = ModelLogEntry
        fields = ["user", "timestamp", "township"]


class ContactRevealsView(ReportView):
    page_title = _("Contact reveals")
    header_icon = "view"
    filterset_class = ContactRevealFilterSet
    index_url_name = "talent_contact_reveals"
    index_results_url_name = "talent_contact_reveals_results"
    results_template_name = "wagtailadmin/reports/base_report_results.html"
    paginate_by = 50
    columns = [
        Column("revealed_by", label=_("Revealed by")),
        Column("profile_name", label=_("full name")),
        Column("profile_phone", label=_("phone")),
        Column("profile_id_number", label=_("ID number")),
        Column("profile_township", label=_("Home township")),
        Column("reason", label=_("reason")),
        DateColumn("timestamp", label=_("Revealed at")),
    ]
    list_export = [column.name for column in columns]
    export_headings = {column.name: column.label for column in columns}

    def dispatch(self, request, *args, **kwargs):
        if not can_see_contact_reveals(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return contact_reveals_visible_to(self.request.user)

    def get_filename(self):
        return f"contact-reveals-{datetime.date.today():%Y-%m-%d}"

    def decorate_paginated_queryset(self, object_list):
        entries = list(object_list)
        keys = {int(entry.object_id) for entry in entries if entry.object_id.isdigit()}
        profiles = TalentProfile.objects.select_related("member", "hometown_township")
        by_key = {str(profile.pk): profile for profile in profiles.filter(pk__in=keys)}
        for entry in entries:
            _describe(entry, by_key.get(entry.object_id))
        return entries

    def preprocess_field_value(self, field, value, export_format):
        return cell_safe(super().preprocess_field_value(field, value, export_format))


def _describe(entry, profile: TalentProfile | None) -> None:
    """What a row shows of the person revealed (masked), the profile may since be gone."""
    entry.revealed_by = user_shown(entry.user) if entry.user_id else NONE
    entry.profile_name = profile.display_name if profile else entry.label
    entry.profile_phone = (profile.masked_phone if profile else "") or NONE
    entry.profile_id_number = (profile.masked_id_number if profile else "") or NONE
    township = profile.hometown_township if profile else None
    entry.profile_township = township.name if township else NONE
    entry.reason = reveal_reason(entry)


class ContactRevealsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_contact_reveals(request.user)


def contact_reveals_menu_item() -> MenuItem:
    return ContactRevealsMenuItem(
        _("Contact reveals"),
        reverse("talent_contact_reveals"),
        name="contact-reveals",
        icon_name="view",
        order=950,
    )
