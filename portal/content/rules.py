"""Content rules (Plone's): what the site tells people when content moves through publishing.

- On publish of a study material, micro-lecture or notice, its section's members are told.
- On reject, whoever submitted it (and the author of its latest revision) is told why.
- On approval, whoever submitted it is told.

Notifications go through the inbox's ``notifications_send``, keyed per source: a retried or
duplicated task notifies nobody twice.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowState

from portal.content.models import MicroLecturePage, NoticePage, SectionPage, StudyMaterialPage
from portal.inbox.models import Notification
from portal.inbox.services import notifications_send, organization_member_user_ids

User = get_user_model()

PUBLICATION_NOTIFIED_TYPES = (StudyMaterialPage, MicroLecturePage, NoticePage)


def section_publication_notify(*, page_id: int, revision_id: int | None = None) -> None:
    """Tell the members of the page's section's organisation that it is out.

    Keyed by page, not revision: republishing a corrected page does not tell everyone again.
    Nothing is sent for a page that is no longer live or not in a section.
    """
    page = Page.objects.filter(pk=page_id, live=True).specific().first()
    if not isinstance(page, PUBLICATION_NOTIFIED_TYPES):
        return
    section = SectionPage.objects.ancestor_of(page).select_related("organization").first()
    if section is None:
        return
    notifications_send(
        recipient_ids=organization_member_user_ids(section.organization),
        kind=Notification.Kind.PUBLISHED,
        title=page.title,
        body=getattr(page, "summary", ""),
        url=page.get_url() or "",
        source_key=f"published:{page.pk}",
    )


def _edit_url(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def task_rejection_notify(*, task_state_id: int) -> None:
    """Tell the submitter and the author of the revision under review that a reviewer sent it
    back, and why (the reviewer's comment), with a link to edit it."""
    task_state = (
        TaskState.objects.select_related("workflow_state", "revision")
        .filter(pk=task_state_id, status=TaskState.STATUS_REJECTED)
        .first()
    )
    page = task_state and task_state.workflow_state.content_object
    if not isinstance(page, Page):
        return
    recipients = {task_state.workflow_state.requested_by_id, task_state.revision.user_id}
    recipients -= {None, task_state.finished_by_id}
    for user in User.objects.filter(pk__in=recipients, is_active=True):
        notifications_send(
            recipient_ids=[user.pk],
            kind=Notification.Kind.REJECTED,
            title=page.get_admin_display_title(),
            body=task_state.comment,
            url=_rejection_url(page, user),
            source_key=f"rejected:{task_state.pk}",
        )


def _rejection_url(page: Page, user) -> str:
    # A member who submitted a micro-lecture follows it on the site; staff edit in the admin.
    if user.has_perm("wagtailadmin.access_admin"):
        return _edit_url(page)
    return reverse("lecture_mine")


def workflow_approval_notify(*, workflow_state_id: int) -> None:
    """Tell the submitter that their page passed moderation."""
    state = WorkflowState.objects.filter(
        pk=workflow_state_id, status=WorkflowState.STATUS_APPROVED
    ).first()
    page = state and state.content_object
    if not isinstance(page, Page) or state.requested_by_id is None:
        return
    page = page.specific
    notifications_send(
        recipient_ids=[state.requested_by_id],
        kind=Notification.Kind.APPROVED,
        title=page.get_admin_display_title(),
        url=(page.live and page.get_url()) or _edit_url(page),
        source_key=f"approved:{state.pk}",
    )
