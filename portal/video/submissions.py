"""A member's own micro-lecture, recorded or picked on the phone.

It is saved as a draft micro-lecture in the section of the nearest publishing organisation at
or above the member's origin branch, holding the member's video while it is processed. Once
the video is ready the draft goes to the section's moderation workflow, where reviewers approve
or reject it like any editor's page. The member follows it on ``/lectures/mine/``.
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import WorkflowState

from portal.content.models import MicroLecturePage, SectionPage
from portal.content.services import page_privacy_default
from portal.registry.models import Member
from portal.video.models import Video
from portal.video.services import video_create
from portal.video.tasks import lecture_submission_process

logger = logging.getLogger(__name__)

NO_SECTION = _(
    "Your organisation has no section on this site to publish in yet. Ask your branch secretary."
)
NO_LOGIN = _("Only a member with a login can submit a micro-lecture.")
TITLE_REQUIRED = _("Give the micro-lecture a title.")


class SubmissionStatus:
    PROCESSING = "processing"
    FAILED = "failed"
    PENDING = "pending"
    REJECTED = "rejected"
    PUBLISHED = "published"
    DRAFT = "draft"

    labels = {
        PROCESSING: _("Processing the video"),
        FAILED: _("The video could not be used"),
        PENDING: _("Waiting for review"),
        REJECTED: _("Returned by the reviewer"),
        PUBLISHED: _("Published"),
        DRAFT: _("Not in review"),
    }


@dataclass(frozen=True)
class Submission:
    page: MicroLecturePage
    status: str
    reason: str = ""

    @property
    def label(self) -> str:
        return SubmissionStatus.labels[self.status]


def member_section(member: Member) -> SectionPage | None:
    """The section of the nearest publishing organisation at or above the origin branch."""
    if member.origin_id is None:
        return None
    chain = [member.origin, *reversed(member.origin.get_ancestors())]
    sections = {s.organization_id: s for s in SectionPage.objects.filter(organization__in=chain)}
    return next((sections[o.pk] for o in chain if o.pk in sections), None)


def lecture_submit(*, member: Member, title: str, summary: str, file) -> MicroLecturePage:
    """Keep the member's video and a draft micro-lecture holding it; process the video after
    the upload is saved. Raises ``ValidationError`` naming the field, and then saves nothing.
    """
    section = member_section(member)
    if member.user_id is None:
        raise ValidationError(NO_LOGIN)
    if section is None:
        raise ValidationError(NO_SECTION)
    if not title.strip():
        raise ValidationError({"title": TITLE_REQUIRED})
    with transaction.atomic():
        video = video_create(
            title=title.strip(),
            file=file,
            organization=section.organization,
            uploaded_by=member.user,
        )
        try:
            page = _draft_create(section, member, video, title.strip(), summary.strip())
        except BaseException:
            video.file.delete(save=False)
            raise
    lecture_submission_process.delay_on_commit(video.pk)
    return page


def _draft_create(section, member, video, title, summary) -> MicroLecturePage:
    page = MicroLecturePage(
        title=title,
        summary=summary,
        video=video,
        speaker=member.name,
        submitted_by=member,
        owner=member.user,
        live=False,
    )
    section.add_child(instance=page)
    page_privacy_default(page=page, user=member.user)
    page.save_revision(user=member.user)
    return page


# --- What the member sees -------------------------------------------------------------


def lecture_submissions_for(member: Member) -> list[Submission]:
    """The member's own submissions, newest first, each with where it stands."""
    pages = list(
        MicroLecturePage.objects.filter(submitted_by=member).select_related("video").order_by("-pk")
    )
    latest = _latest_workflow_states(pages)
    return [_submission(page, latest.get(str(page.pk))) for page in pages]


def _latest_workflow_states(pages: list[MicroLecturePage]) -> dict[str, WorkflowState]:
    if not pages:
        return {}
    states = (
        WorkflowState.objects.filter(
            base_content_type=pages[0].get_base_content_type(),
            object_id__in=[str(page.pk) for page in pages],
        )
        .select_related("current_task_state")
        .order_by("created_at", "pk")
    )
    return {state.object_id: state for state in states}


def _submission(page: MicroLecturePage, state: WorkflowState | None) -> Submission:
    video = page.video
    if page.live:
        return Submission(page, SubmissionStatus.PUBLISHED)
    if video is not None and video.status == Video.Status.FAILED:
        return Submission(page, SubmissionStatus.FAILED, video.error)
    if state is None:
        return Submission(page, SubmissionStatus.PROCESSING)
    if state.status == WorkflowState.STATUS_IN_PROGRESS:
        return Submission(page, SubmissionStatus.PENDING)
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        task_state = state.current_task_state
        return Submission(page, SubmissionStatus.REJECTED, task_state.comment if task_state else "")
    return Submission(page, SubmissionStatus.DRAFT)
