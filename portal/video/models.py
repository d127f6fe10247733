"""Uploaded videos for micro-lectures, and their processing state."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.registry.models import Organization


class Video(models.Model):
    """A video file and what processing found out about it.

    A micro-lecture points at a ready video; a new upload is a new Video, so a file that fails
    processing never replaces the one a page already plays.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("video file"), upload_to="videos/%Y/%m")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="videos",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    duration = models.FloatField(_("duration in seconds"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    container = models.CharField(_("container"), max_length=40, blank=True)
    video_codec = models.CharField(_("video codec"), max_length=40, blank=True)
    audio_codec = models.CharField(_("audio codec"), max_length=40, blank=True)
    plays_on_phones = models.BooleanField(
        _("plays on phones"),
        default=False,
        help_text=_("H.264 video with AAC sound in an MP4 file plays in every phone browser."),
    )
    # A small copy for slow links (portal/video/rendition.py); empty until it is made.
    phone_file = models.FileField(
        _("phone rendition"),
        upload_to="videos/phone",
        blank=True,
        help_text=_("At most 360p and about 400 kbit/s, played on slow connections."),
    )
    phone_size = models.PositiveBigIntegerField(_("phone rendition size in bytes"), default=0)
    poster = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("poster frame"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY
