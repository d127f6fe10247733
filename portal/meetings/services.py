"""Everything that writes a meeting: planning, the code and QR shown at the meeting, signing
in, leave, closing and correcting. Each refusal is a ``ValidationError`` in words a member or
a secretary reads; tests reuse the messages from ``MESSAGES``.
"""

import datetime
import secrets

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import signals
from portal.cards import services as cards
from portal.cards.models import ContactActivity
from portal.meetings import tasks
from portal.meetings.documents import attachments_apply
from portal.meetings.models import MEETING_ORG_KINDS, Meeting, MeetingAttendance
from portal.meetings.oversight import ABSENCES_IN_A_ROW, absence_runs_through
from portal.registry.models import Member, Organization
from portal.registry.selectors import members_paired_at
from portal.rules.events import rules_event

Status = MeetingAttendance.Status
# How long a code read out (and the QR code showing it) stays good after it was shown.
CODE_TTL = datetime.timedelta(minutes=15)
# Members may sign in from a little before the start until the end.
EARLY_SIGN_IN = datetime.timedelta(minutes=30)
QR_SALT = "portal.meetings.qr"
LOG_CLOSE = "portal.meeting_close"
LOG_CORRECT = "portal.meeting_correct"
FINAL_STATUSES = (Status.PRESENT, Status.LEAVE, Status.ABSENT)

MESSAGES = {
    "place": _("Give a place or an online link."),
    "organization": _("Meetings are held by a branch, a temporary branch or a party group."),
    "locked": _("The meeting is closed: correct it instead."),
    "not_closed": _("Only a closed meeting is corrected."),
    "not_expected": _("You are not expected at this meeting."),
    "window": _("Signing in is open from 30 minutes before the start until the end."),
    "no_code": _("The secretary has not shown a code yet."),
    "expired": _("The code has expired: ask the secretary for a new one."),
    "wrong_code": _("The code is not right."),
    "signed_in": _("You have already signed in."),
    "on_leave": _("Your leave was granted: you cannot also sign in."),
    "bad_token": _("This QR code is not valid."),
    "leave_late": _("Leave is asked for before the meeting starts."),
    "leave_reason": _("Give a reason for the leave."),
    "leave_not_asked": _("Nobody asked for this leave."),
    "final_status": _("Each member is present, on leave or absent."),
}


def _refuse(key: str, field: str | None = None):
    raise ValidationError({field: MESSAGES[key]} if field else MESSAGES[key], code=key)


# --- Planning -------------------------------------------------------------------------------


def members_expected_at(organization: Organization):
    """Its own members for a home-side branch; for a host-side one, the floating members
    living there from paired organisations (双向共管)."""
    if organization.is_host:
        return members_paired_at(organization)
    return Member.objects.filter(origin__path__startswith=organization.path)


def _meeting_check(meeting: Meeting) -> None:
    meeting.full_clean(exclude=["created_by", "closed_by", "latest_revision"])
    if not (meeting.place.strip() or meeting.online_link):
        _refuse("place", "place")
    if meeting.organization.kind not in MEETING_ORG_KINDS:
        _refuse("organization", "organization")


def attendance_expected_sync(meeting: Meeting) -> None:
    """Expect the branch's members as they are now: newcomers added, those who left and had
    not yet answered removed (an answer, such as a leave asked for, is kept)."""
    expected = set(members_expected_at(meeting.organization).values_list("pk", flat=True))
    listed = set(meeting.attendances.values_list("member_id", flat=True))
    meeting.attendances.filter(status=Status.EXPECTED, member_id__in=listed - expected).delete()
    MeetingAttendance.objects.bulk_create(
        [MeetingAttendance(meeting=meeting, member_id=pk) for pk in sorted(expected - listed)],
        ignore_conflicts=True,
    )


@transaction.atomic
def meeting_plan(*, user, **fields) -> Meeting:
    meeting = Meeting(created_by=user, **fields)
    _meeting_check(meeting)
    meeting.save()
    attendance_expected_sync(meeting)
    tasks.meeting_notify.delay_on_commit(meeting.pk, "planned")
    rules_event("meeting_planned", event_key=f"meeting_planned:{meeting.pk}", meeting_id=meeting.pk)
    return meeting


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)


@transaction.atomic
def meeting_update(*, meeting: Meeting, **fields) -> Meeting:
    """Change a planned meeting; a closed one is corrected, never edited."""
    current = _locked(meeting)
    if current.is_closed:
        _refuse("locked")
    for name, value in fields.items():
        setattr(meeting, name, value)
    _meeting_check(meeting)
    meeting.save()
    attendance_expected_sync(meeting)
    return meeting


# --- The code and the QR code ---------------------------------------------------------------


def meeting_code_issue(*, meeting: Meeting) -> Meeting:
    """A new six-digit code to read out; the previous one (and its QR code) stops working."""
    meeting = Meeting.objects.get(pk=meeting.pk)
    if meeting.is_closed:
        _refuse("locked")
    meeting.code = f"{secrets.randbelow(10**6):06d}"
    meeting.code_issued_at = timezone.now()
    meeting.save(update_fields=["code", "code_issued_at"])
    return meeting


def meeting_qr_token(meeting: Meeting) -> str:
    """What the QR code carries: the meeting and its current code, signed and timed."""
    return signing.dumps({"m": meeting.pk, "c": meeting.code}, salt=QR_SALT, compress=True)


def _qr_token_read(token: str) -> tuple[int, str]:
    try:
        data = signing.loads(token, salt=QR_SALT, max_age=CODE_TTL)
    except signing.SignatureExpired:
        _refuse("expired")
    except signing.BadSignature:
        _refuse("bad_token")
    return data["m"], data["c"]


# --- Members: signing in, leave -------------------------------------------------------------


def _attendance_of(meeting_id: int, member: Member) -> MeetingAttendance:
    attendance = (
        MeetingAttendance.objects.select_for_update()
        .select_related("meeting")
        .filter(meeting_id=meeting_id, member=member)
        .first()
    )
    if attendance is None:
        _refuse("not_expected")
    return attendance


def _sign_in_check(attendance: MeetingAttendance, code: str, now: datetime.datetime) -> None:
    meeting = attendance.meeting
    if meeting.is_closed or not (meeting.starts_at - EARLY_SIGN_IN <= now <= meeting.ends_at):
        _refuse("window")
    if attendance.status == Status.PRESENT:
        _refuse("signed_in")
    if attendance.status == Status.LEAVE:
        _refuse("on_leave")
    if not meeting.code:
        _refuse("no_code")
    if not secrets.compare_digest(code, meeting.code):
        _refuse("wrong_code")
    if meeting.code_issued_at + CODE_TTL < now:
        _refuse("expired")


def _sign_in(meeting_id: int, member: Member, code: str, method: str) -> MeetingAttendance:
    now = timezone.now()
    attendance = _attendance_of(meeting_id, member)
    _sign_in_check(attendance, (code or "").strip(), now)
    attendance.status = Status.PRESENT
    attendance.signed_in_at = now
    attendance.method = method
    attendance.save(update_fields=["status", "signed_in_at", "method"])
    return attendance


@transaction.atomic
def attendance_sign_in_code(*, meeting: Meeting, member: Member, code: str) -> MeetingAttendance:
    """Online: the member types the code the secretary reads out."""
    return _sign_in(meeting.pk, member, code, MeetingAttendance.Method.CODE)


@transaction.atomic
def attendance_sign_in_qr(*, member: Member, token: str) -> MeetingAttendance:
    """In person: the member scans the QR code on the secretary's screen."""
    meeting_id, code = _qr_token_read(token)
    return _sign_in(meeting_id, member, code, MeetingAttendance.Method.QR)


@transaction.atomic
def attendance_leave_request(*, meeting: Meeting, member: Member, reason: str) -> MeetingAttendance:
    attendance = _attendance_of(meeting.pk, member)
    if attendance.meeting.is_closed or timezone.now() >= attendance.meeting.starts_at:
        _refuse("leave_late")
    if not (reason or "").strip():
        _refuse("leave_reason", "reason")
    if attendance.status == Status.PRESENT:
        _refuse("signed_in")
    attendance.status = Status.LEAVE_REQUESTED
    attendance.leave_reason = reason.strip()[:200]
    attendance.save(update_fields=["status", "leave_reason"])
    return attendance


@transaction.atomic
def attendance_leave_grant(*, attendance: MeetingAttendance) -> MeetingAttendance:
    attendance = (
        MeetingAttendance.objects.select_for_update()
        .select_related("meeting")
        .get(pk=attendance.pk)
    )
    if attendance.meeting.is_closed:
        _refuse("locked")
    if attendance.status != Status.LEAVE_REQUESTED:
        _refuse("leave_not_asked")
    attendance.status = Status.LEAVE
    attendance.save(update_fields=["status"])
    return attendance


# --- The secretary closes, and corrects -----------------------------------------------------


def attendance_proposed(meeting: Meeting) -> dict[int, str]:
    """What the close form starts from: signed in is present, leave asked for is leave,
    anybody else absent."""
    proposed = {
        Status.PRESENT: Status.PRESENT,
        Status.LEAVE: Status.LEAVE,
        Status.LEAVE_REQUESTED: Status.LEAVE,
    }
    return {
        member_id: proposed.get(status, Status.ABSENT)
        for member_id, status in meeting.attendances.values_list("member_id", "status")
    }


def _statuses_apply(meeting: Meeting, statuses: dict[int, str]) -> None:
    if any(status not in FINAL_STATUSES for status in statuses.values()):
        _refuse("final_status")
    for attendance in meeting.attendances.select_for_update():
        status = statuses.get(attendance.member_id, Status.ABSENT)
        if attendance.status != status:
            attendance.status = status
            if status == Status.PRESENT and not attendance.method:
                attendance.method = MeetingAttendance.Method.SECRETARY
            attendance.save(update_fields=["status", "method"])


def _contact_cards_sync(meeting: Meeting, user) -> None:
    """A host-side meeting counts on each present member's contact card, once: one
    countersigned line per attendance, withdrawn if a correction says absent after all."""
    if not meeting.organization.is_host:
        return
    kind = (
        ContactActivity.Kind.THEME_DAY
        if meeting.kind == Meeting.Kind.THEME_DAY
        else ContactActivity.Kind.MEETINGS
    )
    held_on = timezone.localtime(meeting.starts_at).date()
    for attendance in meeting.attendances.select_related("member", "contact_activity"):
        present = attendance.status == Status.PRESENT
        if present and attendance.contact_activity is None:
            card = cards.contact_card_open(member=attendance.member, year=held_on.year)
            attendance.contact_activity = cards.contact_activity_record(
                card=card,
                kind=kind,
                held_on=held_on,
                description=f"{meeting.get_kind_display()}：{meeting.title}"[:300],
                user=user,
                countersign=True,
            )
            attendance.save(update_fields=["contact_activity"])
        elif not present and attendance.contact_activity is not None:
            cards.contact_activity_withdraw(activity=attendance.contact_activity)


def _absences_in_a_row_raise(meeting: Meeting) -> None:
    """A member whose run of absences here reaches three: one event per run, named by the
    run's first meeting, so a retried task, a correction or a fourth absence tells nobody
    twice."""
    attendances = dict(
        meeting.attendances.filter(status=Status.ABSENT).values_list("member_id", "pk")
    )
    for member_id, (first, length) in absence_runs_through(meeting).items():
        if length >= ABSENCES_IN_A_ROW:
            rules_event(
                "member_absent_in_a_row",
                event_key=f"absent_in_a_row:{member_id}:{first}",
                attendance_id=attendances[member_id],
            )


def _record(
    meeting: Meeting, *, user, statuses, minutes: str, decisions: str, log: str, attachments
):
    _statuses_apply(meeting, statuses)
    if attachments is not None:
        attachments_apply(meeting=meeting, documents=attachments, user=user)
    meeting.minutes = minutes
    meeting.decisions = (decisions or "").strip()
    meeting.save()
    _contact_cards_sync(meeting, user)
    meeting.save_revision(user=user, log_action=log)
    _absences_in_a_row_raise(meeting)
    meeting_id = meeting.pk
    transaction.on_commit(
        lambda: signals.meeting_recorded.send(sender=Meeting, meeting_id=meeting_id)
    )
    return meeting


@transaction.atomic
def meeting_close(
    *,
    meeting: Meeting,
    user,
    statuses: dict[int, str],
    minutes: str = "",
    decisions: str = "",
    attachments: list | None = None,
) -> Meeting:
    """Attendance confirmed, minutes, decisions and attached documents written; the meeting
    is locked."""
    meeting = _locked(meeting)
    if meeting.is_closed:
        _refuse("locked")
    meeting.state = Meeting.State.CLOSED
    meeting.closed_at = timezone.now()
    meeting.closed_by = user
    meeting.code = ""
    rules_event("meeting_closed", event_key=f"meeting_closed:{meeting.pk}", meeting_id=meeting.pk)
    return _record(
        meeting,
        user=user,
        statuses=statuses,
        minutes=minutes,
        decisions=decisions,
        log=LOG_CLOSE,
        attachments=attachments,
    )


@transaction.atomic
def meeting_correct(
    *,
    meeting: Meeting,
    user,
    statuses: dict[int, str],
    minutes: str,
    decisions: str,
    attachments: list | None = None,
) -> Meeting:
    """A closed meeting changes only as a new revision, logged with who made it; the
    attachments stay as they were unless a list is given."""
    meeting = _locked(meeting)
    if not meeting.is_closed:
        _refuse("not_closed")
    return _record(
        meeting,
        user=user,
        statuses=statuses,
        minutes=minutes,
        decisions=decisions,
        log=LOG_CORRECT,
        attachments=attachments,
    )
