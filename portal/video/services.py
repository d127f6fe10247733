"""Everything that writes videos: the upload, checked from the file's content, and the
processing that runs in Celery afterwards (length, size, codecs, poster frame).

A video that fails processing is marked failed with a message for people; no page is touched,
so a micro-lecture keeps playing the video it had.
"""

import io
import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.models import Collection

from portal.content.models import SectionPage
from portal.registry.models import Organization
from portal.video.models import Video
from portal.video.probe import VideoFileError, VideoInfo, video_poster, video_probe

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
GAVE_UP = _("The video could not be processed just now. Upload it again later.")
MISSING_FILE = _("The uploaded file can no longer be found. Upload the video again.")
TOO_BIG = _("The video is %(size)s MB; the largest you can upload is %(limit)s MB.")
# What processing reports as it goes, in per cent.
PROGRESS_STARTED, PROGRESS_PROBED, PROGRESS_POSTER, PROGRESS_DONE = 10, 50, 90, 100
MB = 1024 * 1024


def video_file_check(*, file) -> VideoInfo:
    """Refuse a file that is too big or is not a whole MP4, WebM or MOV video.

    Raises ``ValidationError`` on the ``file`` field; reads the file without decoding it.
    """
    limit = settings.VIDEO_MAX_UPLOAD_MB
    if file.size > limit * MB:
        size = f"{file.size / MB:.1f}"
        raise ValidationError({"file": TOO_BIG % {"size": size, "limit": limit}})
    try:
        return video_probe(file)
    except VideoFileError as exc:
        raise ValidationError({"file": FILE_ERRORS[exc.reason]}) from None


def video_create(*, title: str, file, organization: Organization, uploaded_by) -> Video:
    """Keep a checked video, waiting to be processed."""
    info = video_file_check(file=file)
    # The stored name says what the content is (its type is served from it) and nothing of
    # what the uploader called it, which may hold a name or a phone number.
    file.name = f"{uuid.uuid4().hex}.{info.container}"
    video = Video(
        title=title,
        file=file,
        organization=organization,
        uploaded_by=uploaded_by,
        size=file.size,
    )
    video.full_clean()
    video.save()
    return video


def video_upload(*, title: str, file, organization: Organization, uploaded_by) -> Video:
    """Keep a checked video and process it in the background once the upload is saved."""
    from portal.video.tasks import (
        video_process as video_process_task,  # the tasks import this module
    )

    video = video_create(title=title, file=file, organization=organization, uploaded_by=uploaded_by)
    video_process_task.delay_on_commit(video.pk)
    return video


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

    A ready or failed video is left as it is, so running this twice does no harm; one left
    half-processed by a lost worker is processed again.
    """
    claimed = Video.objects.filter(
        pk=video_id, status__in=[Video.Status.PENDING, Video.Status.PROCESSING]
    ).update(status=Video.Status.PROCESSING, progress=PROGRESS_STARTED, error="")
    video = Video.objects.select_related("organization").get(pk=video_id)
    if not claimed:
        return video
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
    return _video_ready(video, info, jpeg, rotation)


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
        file=ImageFile(io.BytesIO(jpeg), name=f"video-{video.pk}-poster.jpg"),
        collection=_organization_collection(video.organization),
        uploaded_by_user=video.uploaded_by,
    )
    image._set_image_file_metadata()
    image.save()
    return image
