from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    """The returning-talent pool and the recruiter's desk (built on learning and portal)."""

    name = "talent"
    verbose_name = _("Talent pool")

    def ready(self) -> None:
        from portal import services
        from portal.models import Role

        # Recruiters work in the admin (the pool, base searches); portal's role groups get the
        # permission from here, as portal knows nothing of talent (ADR 0007's pattern).
        recruiter = services.ROLE_PERMISSIONS[Role.RECRUITER]
        if "wagtailadmin.access_admin" not in recruiter:
            services.ROLE_PERMISSIONS[Role.RECRUITER] = [*recruiter, "wagtailadmin.access_admin"]
        from search.registry import register

        from . import signal_handlers
        from .search_documents import TALENT_DOCUMENT

        register(TALENT_DOCUMENT)
        signal_handlers.register()
