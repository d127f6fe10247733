"""The section's approval step: Wagtail's group approval, without approving one's own work."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask


def _submitted_by(obj, user) -> bool:
    state = getattr(obj, "current_workflow_state", None)
    return state is not None and state.requested_by_id == user.pk


class SectionApprovalTask(GroupApprovalTask):
    """A reviewer of the section approves or sends back, but never a revision they submitted
    themselves: a user holding both editor and reviewer needs a second pair of eyes."""

    def get_actions(self, obj, user):
        if _submitted_by(obj, user):
            return []
        return super().get_actions(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        if task_state.workflow_state.requested_by_id == user.pk:
            raise PermissionDenied(_("You cannot review a revision you submitted yourself."))
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user)

    @classmethod
    def get_description(cls):
        return _("The section's reviewers approve, except a revision they submitted themselves")

    class Meta:
        verbose_name = _("Section approval task")
        verbose_name_plural = _("Section approval tasks")
