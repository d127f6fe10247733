from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .publishing import page_privacy_default
from .video_viewsets import VideoChooserViewSet, VideoViewSet
from .viewsets import RegistryViewSetGroup


@hooks.register("register_admin_viewset")
def register_registry():
    return RegistryViewSetGroup()


@hooks.register("register_admin_viewset")
def register_videos():
    return [VideoViewSet("portal_video"), VideoChooserViewSet("portal_video_chooser")]


@hooks.register("after_create_page")
def members_only_on_create(request, page):
    page_privacy_default(page=page, user=request.user)


@hooks.register("after_copy_page")
def members_only_on_copy(request, page, new_page):
    page_privacy_default(page=new_page, user=request.user)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    @actions.register_action("portal.activation_code")
    class ActivationCodeIssued(LogFormatter):
        label = _("Issue an activation code")

        def format_message(self, log_entry):
            return _("Issued a one-time activation code")
