"""Template filters for the project's overrides of Wagtail's admin templates."""

from django import template
from django.apps import apps

register = template.Library()


@register.filter
def app_name(content_type) -> str:
    """The app a content type belongs to, by its verbose name ("学习"), not its label."""
    try:
        return str(apps.get_app_config(content_type.app_label).verbose_name)
    except LookupError:
        return content_type.app_label
