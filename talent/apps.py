from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    """The returning-talent pool and the recruiter's desk (built on learning and portal)."""

    name = "talent"
    verbose_name = _("Talent pool")
