"""The page triggers of the content rules: published, submitted, sent back, approved,
unpublished and expired, each loaded from the keys the signal handler raised it with."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, TaskState, WorkflowState

from portal.content.models import SectionPage
from portal.inbox.models import Notification
from portal.rules.registry import Event, Trigger, trigger_register

PAGE_FIELDS = ("title", "summary", "page_type", "section")
PUBLISHED, SUBMITTED, REJECTED, APPROVED = (
    "page_published",
    "page_submitted",
    "page_rejected",
    "page_approved",
)
UNPUBLISHED, EXPIRED = "page_unpublished", "page_expired"


def _edit_url(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def page_event(trigger: str, key: str, page: Page, **extra) -> Event:
    """An event about ``page``: its section's organisation is the one concerned."""
    page = page.specific
    section = SectionPage.objects.ancestor_of(page, inclusive=True).first()
    values = {
        "title": page.get_admin_display_title(),
        "summary": getattr(page, "summary", ""),
        "page_type": str(page._meta.verbose_name),
        "section": section.title if section else "",
        **extra.pop("values", {}),
    }
    return Event(
        trigger=trigger,
        key=key,
        organization=section.organization if section else None,
        page=page,
        values=values,
        link=extra.pop("link", None) or page.get_url() or "",
        **extra,
    )


def _published(*, event_key: str, page_id: int, **_context) -> Event | None:
    page = Page.objects.filter(pk=page_id, live=True).first()
    if page is None:
        return None
    return page_event(PUBLISHED, event_key, page, kind=Notification.Kind.PUBLISHED)


def _unpublished(trigger: str):
    def load(*, event_key: str, page_id: int, **_context) -> Event | None:
        page = Page.objects.filter(pk=page_id, live=False).first()
        return page and page_event(trigger, event_key, page, link=_edit_url(page))

    return load


def _task_event(trigger: str, status: str):
    def load(*, event_key: str, task_state_id: int, **_context) -> Event | None:
        task_state = (
            TaskState.objects.select_related("workflow_state", "revision")
            .filter(pk=task_state_id, status=status)
            .first()
        )
        page = task_state and task_state.workflow_state.content_object
        if not isinstance(page, Page):
            return None
        author = {task_state.workflow_state.requested_by_id, task_state.revision.user_id}
        return page_event(
            trigger,
            event_key,
            page,
            values={"comment": task_state.comment or ""},
            people={"author": frozenset(author - {None})},
            link=reverse("lecture_mine") if status == TaskState.STATUS_REJECTED else None,
            staff_link=_edit_url(page),
            kind=Notification.Kind.REJECTED if trigger == REJECTED else Notification.Kind.REMINDER,
            actor_id=task_state.finished_by_id,
        )

    return load


def _submitted(*, event_key: str, task_state_id: int, **context) -> Event | None:
    event = _task_event(SUBMITTED, TaskState.STATUS_IN_PROGRESS)(
        event_key=event_key, task_state_id=task_state_id
    )
    return event and Event(**{**event.__dict__, "link": event.staff_link, "actor_id": None})


def _approved(*, event_key: str, workflow_state_id: int, **_context) -> Event | None:
    state = WorkflowState.objects.filter(
        pk=workflow_state_id, status=WorkflowState.STATUS_APPROVED
    ).first()
    page = state and state.content_object
    if not isinstance(page, Page) or state.requested_by_id is None:
        return None
    page = page.specific
    return page_event(
        APPROVED,
        event_key,
        page,
        people={"author": frozenset({state.requested_by_id})},
        link=(page.live and page.get_url()) or _edit_url(page),
        kind=Notification.Kind.APPROVED,
    )


def register_page_triggers() -> None:
    fields_with_comment = (*PAGE_FIELDS, "comment")
    for key, label, load, fields in (
        (PUBLISHED, _("a page is published"), _published, PAGE_FIELDS),
        (SUBMITTED, _("a page is submitted for review"), _submitted, fields_with_comment),
        (
            REJECTED,
            _("a page is sent back"),
            _task_event(REJECTED, TaskState.STATUS_REJECTED),
            fields_with_comment,
        ),
        (APPROVED, _("a page passes review"), _approved, PAGE_FIELDS),
        (UNPUBLISHED, _("a page is unpublished"), _unpublished(UNPUBLISHED), PAGE_FIELDS),
        (EXPIRED, _("a page expires"), _unpublished(EXPIRED), PAGE_FIELDS),
    ):
        trigger_register(Trigger(key=key, label=label, load=load, fields=fields, for_pages=True))
