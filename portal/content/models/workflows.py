"""The section's approval step: Wagtail's group approval, without approving one's own work."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask

# Remembered on the user object for the request, under the prefix that
# portal.registry.selectors.role_cache_clear forgets after a role changes.
REVIEWED_TASKS = "_guiyan_reviewed_tasks"


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

    def _user_in_groups(self, user):
        """Wagtail asks this of every active task, one query each, on every admin home and
        page editor; with a task per section, one query answers for all the sections."""
        if REVIEWED_TASKS not in user.__dict__:
            through = GroupApprovalTask.groups.through.objects
            user.__dict__[REVIEWED_TASKS] = set(
                through.filter(group__in=user.groups.all()).values_list(
                    "groupapprovaltask_id", flat=True
                )
            )
        return self.pk in user.__dict__[REVIEWED_TASKS]

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user)

    @classmethod
    def get_description(cls):
        return _("The section's reviewers approve, except a revision they submitted themselves")

    class Meta:
        verbose_name = _("Section approval task")
        verbose_name_plural = _("Section approval tasks")
