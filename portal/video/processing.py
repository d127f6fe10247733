"""The work on a video in the background: probe it, make its poster, mark it ready or
failed, and send the member drafts that hold it on to moderation."""

import io
import logging
import tempfile
import uuid
from pathlib import Path

import av
from django.conf import settings
from django.core.files import File
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.models import Collection

from portal.content.models import MicroLecturePage, SectionPage
from portal.registry.models import Organization
from portal.video.models import Video
from portal.video.probe import VideoFileError, VideoInfo, video_poster, video_probe
from portal.video.rendition import rendition_make

GAVE_UP = _("The video could not be processed just now. Upload it again later.")

logger = logging.getLogger(__name__)

FILE_ERRORS = {
    VideoFileError.NOT_A_VIDEO: _(
        "This file is not an MP4, WebM or MOV video. Choose the video file itself, or export "
        "it again as MP4."
    ),
    VideoFileError.DAMAGED: _(
        "This video file is damaged or incomplete. Upload it again, or export it again from "
        "the phone or camera."
    ),
    VideoFileError.NO_PICTURE: _("This file has sound but no picture."),
}
PROGRESS_STARTED, PROGRESS_PROBED, PROGRESS_POSTER, PROGRESS_DONE = 10, 50, 90, 100


MISSING_FILE = _("The uploaded file can no longer be found. Upload the video again.")


def video_give_up(*, video_id: int) -> None:
    """Processing kept failing for reasons outside the file: say so instead of spinning."""
    video = Video.objects.filter(
        pk=video_id, status__in=[Video.Status.PENDING, Video.Status.PROCESSING]
    ).first()
    if video is not None:
        video_fail(video=video, message=GAVE_UP)


def _progress(video: Video, progress: int, status: str = Video.Status.PROCESSING) -> None:
    video.status, video.progress = status, progress
    Video.objects.filter(pk=video.pk).update(status=status, progress=progress)


def video_fail(*, video: Video, message: str) -> Video:
    """Mark a video failed with a message for people, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        video.error = str(message)
    video.status = Video.Status.FAILED
    video.save(update_fields=["status", "error"])
    logger.warning("video %s failed processing", video.pk)
    return video


def video_process(*, video_id: int) -> Video:
    """Read the video's length, picture size and codecs, and make its poster frame.

    Then make its phone rendition. A ready or failed video is left as it is (a ready one
    only gets the phone rendition it lacks), so running this twice does no harm; one left
    half-processed by a lost worker is processed again.
    """
    claimed = Video.objects.filter(
        pk=video_id, status__in=[Video.Status.PENDING, Video.Status.PROCESSING]
    ).update(status=Video.Status.PROCESSING, progress=PROGRESS_STARTED, error="")
    video = Video.objects.select_related("organization").get(pk=video_id)
    if not claimed:
        # Ready before a lost worker made its phone rendition: make it now (a no-op if made).
        return video_phone_rendition_make(video_id=video_id)
    try:
        with video.file.open("rb") as fileobj:
            info = video_probe(fileobj)
            _progress(video, PROGRESS_PROBED)
            jpeg, rotation = video_poster(fileobj)
    except FileNotFoundError:
        return video_fail(video=video, message=MISSING_FILE)
    except VideoFileError as exc:
        return video_fail(video=video, message=FILE_ERRORS[exc.reason])
    _progress(video, PROGRESS_POSTER)
    video = _video_ready(video, info, jpeg, rotation)
    return video_phone_rendition_make(video_id=video.pk)


@transaction.atomic
def _video_ready(video: Video, info: VideoInfo, jpeg: bytes, rotation: int) -> Video:
    upright = abs(rotation) == 90
    video.width, video.height = (info.height, info.width) if upright else (info.width, info.height)
    video.duration = info.duration
    video.container, video.video_codec = info.container, info.video_codec
    video.audio_codec, video.plays_on_phones = info.audio_codec, info.plays_on_phones
    video.poster = _poster_image(video, jpeg)
    video.status, video.progress, video.error = Video.Status.READY, PROGRESS_DONE, ""
    video.save()
    return video


def _organization_collection(organization: Organization) -> Collection:
    """The collection the organisation's section editors hold permissions on, else the root."""
    section = SectionPage.objects.filter(organization=organization).first()
    collection = None
    if section is not None and section.editors_id:
        collection = Collection.objects.filter(group_permissions__group=section.editors_id).first()
    return collection or Collection.get_first_root_node()


def _poster_image(video: Video, jpeg: bytes):
    image = get_image_model()(
        title=video.title,
        # A random name: neither the original nor its renditions can be guessed from the
        # video's number (they are served only as the video's readers allow, in any case).
        file=ImageFile(io.BytesIO(jpeg), name=f"{uuid.uuid4().hex}.jpg"),
        collection=_organization_collection(video.organization),
        uploaded_by_user=video.uploaded_by,
    )
    image._set_image_file_metadata()
    image.save()
    return image


def lecture_submissions_forward(*, video: Video) -> list[MicroLecturePage]:
    """Send the member drafts holding this now-ready video to their section's moderation.

    A draft that has been in a workflow before is left alone, so this runs safely twice.
    """
    if not video.is_ready:
        return []
    drafts = MicroLecturePage.objects.filter(
        video=video, submitted_by__isnull=False, live=False
    ).select_related("owner", "submitted_by__user")
    return [page for page in drafts if _workflow_start(page)]


def _workflow_start(page: MicroLecturePage) -> bool:
    if page.workflow_states.exists():
        return False
    workflow = page.get_workflow()
    if workflow is None:
        logger.warning("micro-lecture %s has no workflow to go to", page.pk)
        return False
    workflow.start(page, page.owner or page.submitted_by.user)
    return True


def lecture_submission_process(*, video_id: int) -> Video:
    """Process a member's video and, once it is ready, put the drafts holding it up for review."""
    video = video_process(video_id=video_id)
    lecture_submissions_forward(video=video)
    return video


def _phone_name(video: Video) -> str:
    """Named after the original's random name: one name per video, so a second run replaces
    the file instead of adding one, and nobody can guess it from the video's number."""
    return f"{Path(video.file.name).stem}-phone.mp4"


def video_phone_rendition_make(*, video_id: int) -> Video:
    """Make the ready video's phone rendition (``rendition.rendition_make``) unless it has one.

    Without one the page plays the original, so a file FFmpeg cannot re-encode is logged,
    not failed; a storage error is raised for the task to retry.
    """
    video = Video.objects.get(pk=video_id)
    if not video.is_ready or (
        video.phone_file and video.phone_file.storage.exists(video.phone_file.name)
    ):
        return video
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "original", Path(folder) / "phone.mp4"
        with video.file.open("rb") as original, source.open("wb") as copy:
            for chunk in original.chunks():
                copy.write(chunk)
        try:
            rendition_make(str(source), str(target))
        except (av.FFmpegError, StopIteration):
            logger.warning("video %s: no phone rendition could be made", video.pk)
            return video
        return _phone_file_save(video, target)


def _phone_file_save(video: Video, target: Path) -> Video:
    field = video.phone_file
    name = field.field.generate_filename(video, _phone_name(video))
    if field.storage.exists(name):
        field.storage.delete(name)
    with target.open("rb") as rendition:
        field.save(_phone_name(video), File(rendition), save=False)
    video.phone_size = field.size
    # Saved (not a queryset update) so that post_save tells whoever keeps the video's page.
    video.save(update_fields=["phone_file", "phone_size"])
    return video
