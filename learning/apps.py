from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    """Learning tracks, progress, credits and the member record (built on portal)."""

    name = "learning"
    verbose_name = _("Learning")
