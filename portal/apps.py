from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from portal import signal_handlers
        from portal.content import search_documents

        signal_handlers.register()
        search_documents.register_pages_document()
