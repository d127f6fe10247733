"""Values the admin prints for a person: yes or no in Chinese, times in Asia/Shanghai, a dash
for nothing (portal/registry/components.py), and the activation code's name in local time."""

import datetime

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext as _
from wagtail.admin.ui.fields import display_class_registry

from portal.models import ActivationCode, Video
from portal.registry.components import (
    LocalDateTimeDisplay,
    RelatedDisplay,
    YesNoDisplay,
    local_datetime,
    yes_no,
)

NIGHT_UTC = datetime.datetime(2026, 12, 5, 20, 30, tzinfo=datetime.UTC)


def test_every_inspect_view_gets_the_readable_displays():
    """Registered with Wagtail's display registry: booleans, times and plain relations."""
    assert display_class_registry.get(Video._meta.get_field("plays_on_phones")) is YesNoDisplay
    assert display_class_registry.get(Video._meta.get_field("uploaded_at")) is LocalDateTimeDisplay
    assert display_class_registry.get(Video._meta.get_field("uploaded_by")) is RelatedDisplay
    assert display_class_registry.get(Video._meta.get_field("poster")) is not RelatedDisplay
    assert display_class_registry.get(models.DateField()) is None


def test_values_read_as_a_person_reads_them():
    assert [yes_no(True), yes_no(False), yes_no(None)] == [_("Yes"), _("No"), "—"]
    assert "2026" in local_datetime(NIGHT_UTC) and local_datetime(None) == "—"
    assert RelatedDisplay(None).render_html({}) == "—"
    shown = LocalDateTimeDisplay(NIGHT_UTC).render_html({})
    assert 'datetime="2026-12-06T04:30:00+08:00"' in shown


def test_an_activation_code_is_named_with_the_local_time():
    code = ActivationCode(user=get_user_model()(username="x"), created_at=NIGHT_UTC)
    assert str(code).endswith("2026-12-06 04:30")
