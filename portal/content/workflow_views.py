"""Moderation in the admin says what it did.

Wagtail's workflow action view (the dashboard's Approve and Request changes buttons) redirects
without a message, and its page editor says only that the page was saved: a reviewer cannot
tell whether the approval went through. Both now add one, in the reviewer's language.
"""

from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.models import TaskState


def workflow_action_message(request, *, title: str, action: str) -> None:
    """Tell the reviewer the outcome of the approval action they took on the page."""
    if action == "approve":
        text = _("The page '%(title)s' has been approved.")
    elif action == "reject":
        text = _("Changes to the page '%(title)s' have been requested.")
    else:
        return
    messages.success(request, text % {"title": title})


class PageWorkflowActionView(WorkflowActionView):
    """Wagtail's page workflow action, followed by a confirmation once the action is done."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        self.task_state.refresh_from_db(fields=["status"])
        if self.task_state.status != TaskState.STATUS_IN_PROGRESS:
            title = self.object.get_latest_revision_as_object().get_admin_display_title()
            workflow_action_message(request, title=title, action=self.action_name)
        return response


def after_edit_page(request, page) -> None:
    """The page editor's workflow action (its Approve in the action menu) confirmed too."""
    if "action-workflow-action" in request.POST:
        action = request.POST.get("workflow-action-name", "")
        workflow_action_message(request, title=page.get_admin_display_title(), action=action)
