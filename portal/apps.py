from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from . import search_documents, signal_handlers

        signal_handlers.register()
        search_documents.register_pages_document()
