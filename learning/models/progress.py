"""Progress on steps, the events that report it, the member's attention clock, and completed
tracks.

The server keeps its own clock, one per member (``AttentionClock``): what all steps and tabs
are credited together never exceeds the wall-clock time the member was present on their study
pages (see learning/progress/events.py and docs/adr/0012-attention-clock.md).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AttentionClock(models.Model):
    """A member's presence on their study pages, and how much of it progress has spent.

    Every contact from a study page (opening a step, reporting progress) adds the time since
    the previous contact to ``present_seconds`` if it is no longer than
    LEARNING_ATTENTION_GAP_SECONDS; a longer absence adds nothing. Crediting reading time or
    played video spends from ``present_seconds - spent_seconds``, shared by every step and tab.
    """

    member = models.OneToOneField(
        "portal.Member",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="attention_clock",
    )
    last_seen_at = models.DateTimeField(_("last seen at"))
    present_seconds = models.FloatField(_("seconds present"), default=0)
    spent_seconds = models.FloatField(_("seconds spent"), default=0)

    class Meta:
        verbose_name = _("attention clock")
        verbose_name_plural = _("attention clocks")

    def __str__(self) -> str:
        return str(self.member)

    @property
    def budget(self) -> float:
        """Seconds of presence not yet spent on any step."""
        return max(0.0, self.present_seconds - self.spent_seconds)

    def advance(self, now, *, gap_seconds: float) -> None:
        """Count the time since the last contact as presence if it was short enough."""
        elapsed = (now - self.last_seen_at).total_seconds()
        if elapsed <= 0:  # a request that started before the last one: nothing new
            return
        if elapsed <= gap_seconds:
            self.present_seconds += elapsed
        self.last_seen_at = now


class StepProgress(models.Model):
    member = models.ForeignKey(
        "portal.Member", on_delete=models.CASCADE, related_name="step_progress"
    )
    step = models.ForeignKey(
        "learning.TrackStep", on_delete=models.CASCADE, related_name="progress"
    )
    opened_at = models.DateTimeField(_("first opened at"))
    last_event_at = models.DateTimeField(_("last accepted event at"), null=True, blank=True)
    # Reading: seconds on the visible page; video: seconds of the video actually played.
    seconds_credited = models.PositiveIntegerField(_("seconds credited"), default=0)
    required_seconds = models.PositiveIntegerField(_("seconds required"), default=0)
    # Video: the played parts credited, as merged [start, end] pairs in seconds of the video.
    segments = models.JSONField(default=list, blank=True)
    # Video: parts reported played that the attention clock could not cover yet; later events
    # credit them as the member's presence grows.
    segments_pending = models.JSONField(default=list, blank=True)
    position = models.FloatField(_("resume position (s)"), default=0)
    note = models.TextField(_("reading note"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("step progress")
        verbose_name_plural = _("step progress")
        constraints = [
            models.UniqueConstraint(fields=["member", "step"], name="progress_once_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.step}"


class ProgressEvent(models.Model):
    """Every event a client sent, once: the client's own id makes a retry a no-op."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        DUPLICATE = "duplicate", _("Already received")
        REFUSED = "refused", _("Refused")

    member = models.ForeignKey(
        "portal.Member", on_delete=models.CASCADE, related_name="progress_events"
    )
    event_id = models.UUIDField(_("event id"))
    step = models.ForeignKey(
        "learning.TrackStep", on_delete=models.CASCADE, related_name="progress_events"
    )
    kind = models.CharField(_("kind"), max_length=20)
    payload = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    seconds_credited = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("progress event")
        verbose_name_plural = _("progress events")
        constraints = [
            models.UniqueConstraint(fields=["member", "event_id"], name="progress_event_once")
        ]

    def __str__(self) -> str:
        return str(self.event_id)


class OfflineAttendance(models.Model):
    """A member's attendance at an offline session (集中学习), recorded by the secretary."""

    step = models.ForeignKey(
        "learning.TrackStep", on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey("portal.Member", on_delete=models.CASCADE, related_name="+")
    attended = models.BooleanField(_("attended"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["step", "member"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.member} · {self.step}"


class TrackCompletion(models.Model):
    """A member completed a track: once per member and track, whatever arrives twice.

    The title, hours and points are kept as they were, so the record stands if the track
    changes or goes.
    """

    member = models.ForeignKey(
        "portal.Member", on_delete=models.PROTECT, related_name="track_completions"
    )
    track = models.ForeignKey(
        "learning.TrackPage",
        on_delete=models.SET_NULL,
        null=True,
        related_name="completions",
    )
    track_title = models.CharField(_("track"), max_length=255)
    track_kind = models.CharField(_("kind"), max_length=20)
    study_hours = models.DecimalField(_("study hours"), max_digits=4, decimal_places=1)
    points = models.PositiveSmallIntegerField(_("points"))
    completed_at = models.DateTimeField(_("completed at"))

    class Meta:
        verbose_name = _("track completion")
        verbose_name_plural = _("track completions")
        constraints = [
            models.UniqueConstraint(fields=["member", "track"], name="completion_once_per_track")
        ]
        indexes = [models.Index(fields=["member", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.track_title}"


class Certificate(models.Model):
    """The certificate of a completed track, checked by its code on a public page."""

    completion = models.OneToOneField(
        TrackCompletion, on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code
