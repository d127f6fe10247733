"""Organisational life (三会一课, 主题党日): a branch's meetings, who was expected, who came.

A meeting belongs to one branch, home side or host side. The members expected are written
down when it is planned (``MeetingAttendance`` rows), so a member sees exactly the meetings they are
expected at and the attendance rate is counted over the same rows. A closed meeting is locked;
a correction is a new Wagtail revision, logged, whose content includes the attendance.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField
from wagtail.models import Orderable, RevisionMixin

from portal.cards.models import ContactActivity
from portal.registry.models import Member, Organization

# Who holds meetings: branches, temporary branches, general branches and party groups.
MEETING_ORG_KINDS = (
    Organization.Kind.BRANCH,
    Organization.Kind.TEMPORARY_BRANCH,
    Organization.Kind.GENERAL_BRANCH,
    Organization.Kind.GROUP,
)
MINUTES_FEATURES = ["h3", "bold", "ol", "ul", "link", "document-link"]


class Meeting(RevisionMixin, models.Model):
    class Kind(models.TextChoices):
        ASSEMBLY = "assembly", _("Branch general meeting")
        COMMITTEE = "committee", _("Branch committee meeting")
        GROUP = "group", _("Party group meeting")
        LECTURE = "lecture", _("Party lecture")
        THEME_DAY = "theme_day", _("Theme party day")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("A link to the video meeting; the site does not host the video."),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    study_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("study material or track"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PLANNED, db_index=True
    )
    # The one-time code read out at the meeting, and when it was shown.
    code = models.CharField(_("sign-in code"), max_length=6, blank=True)
    code_issued_at = models.DateTimeField(_("code shown at"), null=True, blank=True)
    minutes = RichTextField(_("minutes"), blank=True, features=MINUTES_FEATURES)
    decisions = models.TextField(_("decisions"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED

    def serializable_data(self) -> dict:
        """The revision's content: the meeting's fields and the attendance as it stands."""
        data = super().serializable_data()
        data["attachments"] = [
            {"document": document_id, "title": title}
            for document_id, title in self.attachments.order_by("sort_order", "pk").values_list(
                "document_id", "document__title"
            )
        ]
        data["attendance"] = {
            str(member_id): status
            for member_id, status in self.attendances.order_by("member_id").values_list(
                "member_id", "status"
            )
        }
        return data


class MeetingAttendance(models.Model):
    """One expected member at one meeting, and how it went for them."""

    class Status(models.TextChoices):
        EXPECTED = "expected", _("Expected")
        PRESENT = "present", _("Present")
        LEAVE_REQUESTED = "leave_requested", _("Leave requested")
        LEAVE = "leave", _("On leave")
        ABSENT = "absent", _("Absent")

    class Method(models.TextChoices):
        CODE = "code", _("Code read out")
        QR = "qr", _("QR code scanned")
        SECRETARY = "secretary", _("Confirmed by the secretary")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="meeting_attendances",
    )
    status = models.CharField(
        _("attendance"), max_length=16, choices=Status.choices, default=Status.EXPECTED
    )
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    method = models.CharField(_("how"), max_length=10, choices=Method.choices, blank=True)
    leave_reason = models.CharField(_("reason for leave"), max_length=200, blank=True)
    # The line this attendance wrote on the member's contact card (host-side meetings only).
    contact_activity = models.OneToOneField(
        ContactActivity,
        verbose_name=_("contact-card activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="meeting_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.meeting}"


class MeetingAttachment(Orderable):
    """A document attached to the closed meeting's record, in the secretary's order. The
    revision of each close or correction keeps the list as it was (``serializable_data``)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attachments"
    )
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("document"),
        on_delete=models.PROTECT,  # a record's attachment is kept: detach it by a correction
        related_name="+",
    )

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "document"], name="meeting_attachment_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.document}"
