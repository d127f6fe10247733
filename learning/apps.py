from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    """Learning tracks, progress, credits and the member record (built on portal)."""

    name = "learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        # Tracks and quizzes join portal's sections through Wagtail hooks (wagtail_hooks.py;
        # docs/adr/0007-learning-joins-portal-by-hooks.md), not by editing portal here.
        from . import signal_handlers

        signal_handlers.register()

        # The 12-point deduction for whereabouts not reported, read from portal's ledger.
        from .periods import whereabouts

        whereabouts.register()
