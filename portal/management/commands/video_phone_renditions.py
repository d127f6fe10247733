"""Queue a phone rendition for every ready video that has none (videos processed before phone
renditions existed, or whose rendition FFmpeg could not make then)."""

from django.core.management.base import BaseCommand

from portal.video.models import Video
from portal.video.tasks import video_phone_rendition


class Command(BaseCommand):
    help = "Queue a phone rendition for every ready video without one."

    def handle(self, *args, **options):
        ids = list(
            Video.objects.filter(status=Video.Status.READY, phone_file="").values_list(
                "pk", flat=True
            )
        )
        for video_id in ids:
            video_phone_rendition.delay(video_id)
        self.stdout.write(f"Queued {len(ids)} phone renditions.")
