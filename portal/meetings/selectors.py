"""Everything that reads meetings for a view or an export, scoped to who is asking.

Org admins see the meetings of the branches in their subtrees (a host branch its own
meetings only), and the attendance of the members they keep, wherever those members met: the
home branch sees its floating member's attendance at the host branch (双向共管). A member sees
only the meetings they are expected at.
"""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from portal.meetings.models import MEETING_ORG_KINDS, Meeting, MeetingAttendance
from portal.registry.models import Member
from portal.registry.selectors import members_visible_to, organizations_managed_by

Status = MeetingAttendance.Status


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """Meetings of the branches in the user's org-admin subtrees."""
    return Meeting.objects.filter(organization__in=organizations_managed_by(user)).select_related(
        "organization"
    )


def meetings_seen_by(user) -> QuerySet[Meeting]:
    """The meetings an org admin keeps, and those at which a member of their own branches
    (by origin) was expected: the home branch reads its floating member's host-side
    meetings. A host branch does not read the home branch's meetings through its member."""
    managed = organizations_managed_by(user)
    home = MeetingAttendance.objects.filter(member__origin__in=managed).values("meeting_id")
    return Meeting.objects.filter(Q(organization__in=managed) | Q(pk__in=home))


def organizations_meeting_for(user):
    """Where the user may plan a meeting: the branches and groups they keep."""
    return organizations_managed_by(user).filter(kind__in=MEETING_ORG_KINDS)


def attendance_rows(meeting: Meeting) -> QuerySet[MeetingAttendance]:
    return meeting.attendances.select_related("member", "member__origin").order_by("member__name")


def attendances_of_member_visible_to(user, member_id: int) -> QuerySet[MeetingAttendance]:
    """A kept member's attendance at every meeting they were expected at, on either side."""
    member = members_visible_to(user).filter(pk=member_id)
    return (
        MeetingAttendance.objects.filter(member__in=member)
        .select_related("meeting", "meeting__organization", "member")
        .order_by("-meeting__starts_at")
    )


def meetings_of_member(member: Member, *, now: datetime.datetime | None = None):
    """(upcoming, past) attendances of the member: upcoming are those not yet ended."""
    now = now or timezone.now()
    rows = MeetingAttendance.objects.filter(member=member).select_related(
        "meeting", "meeting__organization", "meeting__study_page"
    )
    upcoming = rows.filter(meeting__ends_at__gte=now, meeting__state=Meeting.State.PLANNED)
    past = rows.exclude(pk__in=upcoming.values("pk")).order_by("-meeting__starts_at")
    return upcoming.order_by("meeting__starts_at"), past[:20]


def attendance_of_member(member: Member, meeting_id: int) -> MeetingAttendance | None:
    return (
        MeetingAttendance.objects.select_related("meeting", "meeting__organization")
        .filter(member=member, meeting_id=meeting_id)
        .first()
    )


def meetings_due_reminder(day: datetime.date) -> QuerySet[Meeting]:
    """Planned meetings starting on ``day`` (local time): tomorrow's, for the reminder."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return Meeting.objects.filter(
        state=Meeting.State.PLANNED,
        starts_at__gte=start,
        starts_at__lt=start + datetime.timedelta(days=1),
    )


def attendance_counts(*, member_ids, year: int) -> dict[int, dict[str, int]]:
    """member id → {present, leave, absent}: how the member's closed meetings of ``year``
    went, on either side (home or host), each meeting once (one row per member and
    meeting). Read from the rows as they stand, so a correction changes the figure."""
    rows = (
        MeetingAttendance.objects.filter(
            member_id__in=member_ids,
            meeting__state=Meeting.State.CLOSED,
            meeting__starts_at__year=year,
            status__in=(Status.PRESENT, Status.LEAVE, Status.ABSENT),
        )
        .order_by()
        .values_list("member_id", "status")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict[str, int]] = {}
    for member_id, status, n in rows:
        counts.setdefault(member_id, {"present": 0, "leave": 0, "absent": 0})[status] = n
    return counts
