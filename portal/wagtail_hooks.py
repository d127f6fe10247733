from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .viewsets import RegistryViewSetGroup


@hooks.register("register_admin_viewset")
def register_registry():
    return RegistryViewSetGroup()


@hooks.register("register_log_actions")
def register_log_actions(actions):
    @actions.register_action("portal.activation_code")
    class ActivationCodeIssued(LogFormatter):
        label = _("Issue an activation code")

        def format_message(self, log_entry):
            return _("Issued a one-time activation code")
