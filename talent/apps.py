from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    """The returning-talent pool and the recruiter's desk (built on learning and portal)."""

    name = "talent"
    verbose_name = _("Talent pool")

    def ready(self) -> None:
        from search.registry import register
        from talent import signal_handlers
        from talent.desk.search_documents import TALENT_DOCUMENT

        register(TALENT_DOCUMENT)
        signal_handlers.register()
