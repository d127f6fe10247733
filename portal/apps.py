from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users import apps as wagtail_users_apps


class PortalConfig(AppConfig):
    default = True  # beside UsersConfig below
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from wagtail.models.reference_index import ReferenceIndex

        from portal import signal_handlers
        from portal.content import search_documents

        # What pages show beyond their fields is built in their wings' views (page_views.py).
        from portal.content import views as content_views  # noqa: F401
        from portal.meetings.models import MeetingAttachment
        from portal.parcels import views as parcel_views  # noqa: F401
        from portal.registry.components import display_values_register

        signal_handlers.register()
        # A record's document shows its use, and Wagtail will not delete it (PROTECT).
        ReferenceIndex.register_model(MeetingAttachment)
        search_documents.register_pages_document()
        display_values_register()


class UsersConfig(wagtail_users_apps.WagtailUsersAppConfig):
    """Wagtail's users app with the project's user list (its yes/no column in words) and group
    editor (its page-permission rows labelled)."""

    default = False
    user_viewset = "portal.registry.user_viewsets.UserViewSet"
    group_viewset = "portal.registry.group_viewsets.GroupViewSet"
