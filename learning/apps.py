from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    """Learning tracks, progress, credits and the member record (built on portal)."""

    name = "learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        from portal import publishing
        from portal.models import SectionPage

        from .models import QuizPage, TrackPage

        # portal knows nothing of learning (docs/adr/0007-learning-joins-portal-by-hooks.md):
        # tracks and quizzes join the section's page types from here, before Wagtail first
        # reads them.
        extra = ["learning.TrackPage", "learning.QuizPage"]
        SectionPage.subpage_types = [*SectionPage.subpage_types, *extra]
        # Members-only from creation, like study materials: page_privacy_default reads the
        # tuple when it runs. Portal connected its publish-time privacy rule (which follows
        # the "open to the public" box tracks do not have) before this, for its own types.
        publishing.MEMBERS_ONLY_PAGE_TYPES = (
            *publishing.MEMBERS_ONLY_PAGE_TYPES,
            TrackPage,
            QuizPage,
        )

        from . import signal_handlers

        signal_handlers.register()

        # The 12-point deduction for whereabouts not reported, read from portal's ledger.
        from . import whereabouts_deduction

        whereabouts_deduction.register()
