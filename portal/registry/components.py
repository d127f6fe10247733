"""How the admin shows a field's value when Wagtail would print Python's: "True", "None", a
time in UTC. Registered with Wagtail's display registry (``display_values_register``, called
from the app's ``ready``), so every inspect view shows yes/no in Chinese, times in the site's
time zone and an empty relation as a dash; ``YesNoColumn`` does the same in listings, and
``YesNoFilterAdapter`` in the pill of an active yes/no filter."""

import datetime

import django_filters
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.admin.active_filters import (
    ActiveFilter,
    BaseFilterAdapter,
    register_filter_adapter_class,
)
from wagtail.admin.ui.fields import BaseFieldDisplay, register_display_class
from wagtail.admin.ui.tables import Column

EMPTY = "—"


def yes_no(value) -> str:
    if value is None:
        return EMPTY
    return _("Yes") if value else _("No")


def local_datetime(value: datetime.datetime | None) -> str:
    """An aware time in the site's zone (Asia/Shanghai), as the rest of the admin shows it."""
    if value is None:
        return EMPTY
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "DATETIME_FORMAT")


class YesNoDisplay(BaseFieldDisplay):
    def render_html(self, parent_context=None):
        return format_html("<span data-yes-no>{}</span>", yes_no(self.value))


class LocalDateTimeDisplay(BaseFieldDisplay):
    def render_html(self, parent_context=None):
        if self.value is None:
            return EMPTY
        iso = timezone.localtime(self.value).isoformat() if timezone.is_aware(self.value) else ""
        return format_html('<time datetime="{}">{}</time>', iso, local_datetime(self.value))


class RelatedDisplay(BaseFieldDisplay):
    """A related object by its name; none as a dash, not "None"."""

    def render_html(self, parent_context=None):
        return EMPTY if self.value is None else format_html("{}", self.value)


class YesNoColumn(Column):
    """Wagtail's BooleanColumn says "True" to screen readers and nothing to the eye: this one
    shows its icon beside 是 or 否."""

    cell_template_name = "portal/admin/yes_no_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["label"] = yes_no(context["value"])
        return context


class YesNoFilterAdapter(BaseFilterAdapter):
    """An active yes/no filter reads "仍失联：是", where Wagtail would write the Python value."""

    def get_active_filters(self):
        url = self.get_url_without_filter_param(self.name)
        yield ActiveFilter(self.bound_field.auto_id, self.filter.label, yes_no(self.value), url)


def display_values_register() -> None:
    register_display_class(models.BooleanField, display_class=YesNoDisplay)
    register_display_class(models.DateTimeField, display_class=LocalDateTimeDisplay)
    # Every foreign key Wagtail has nothing more specific for (images keep their preview).
    register_display_class(models.ForeignKey, to=models.Model, display_class=RelatedDisplay)
    register_filter_adapter_class(django_filters.BooleanFilter, YesNoFilterAdapter)
