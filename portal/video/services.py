"""Everything that writes videos: the upload, checked from the file's content, and the
processing that runs in Celery afterwards (length, size, codecs, poster frame).

A video that fails processing is marked failed with a message for people; no page is touched,
so a micro-lecture keeps playing the video it had.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.registry.models import Organization
from portal.video.models import Video
from portal.video.probe import VideoFileError, VideoInfo, video_probe
from portal.video.processing import FILE_ERRORS
from portal.video.tasks import video_process as video_process_task

TOO_BIG = _("The video is %(size)s MB; the largest you can upload is %(limit)s MB.")
# What processing reports as it goes, in per cent.
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
    video = video_create(title=title, file=file, organization=organization, uploaded_by=uploaded_by)
    video_process_task.delay_on_commit(video.pk)
    return video
