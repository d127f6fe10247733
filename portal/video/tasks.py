"""Background work on videos: probing, posters and member submissions."""

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import OperationalError

from portal.video import processing


class VideoTask(DjangoTask):
    """Marks the video failed once the retries are spent, so it does not show as processing
    for ever; a bad file never gets here (processing marks it failed itself)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        processing.video_give_up(video_id=args[0] if args else kwargs["video_id"])


VIDEO_RETRY = {
    "base": VideoTask,
    # Storage and database hiccups; FFmpeg's verdict on a file is never retried.
    "autoretry_for": (OSError, OperationalError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(**VIDEO_RETRY)
def video_process(video_id: int) -> None:
    processing.video_process(video_id=video_id)


@shared_task(**VIDEO_RETRY)
def lecture_submission_process(video_id: int) -> None:
    processing.lecture_submission_process(video_id=video_id)


@shared_task(**VIDEO_RETRY)
def video_phone_rendition(video_id: int) -> None:
    """For videos processed before phone renditions existed (``manage.py
    video_phone_renditions``); new uploads get theirs in ``video_process``."""
    processing.video_phone_rendition_make(video_id=video_id)
