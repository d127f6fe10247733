from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One search interface over two engines; imports no other app's models."""

    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from . import signal_handlers

        signal_handlers.register()
