"""A year of organisational life for the demo: each branch's monthly 主题党日 (the 9th) and
quarterly 支部党员大会 and 党课, closed with attendance drawn from a seeded generator, so the
oversight page has something to show; a few members absent three times in a row; and two
upcoming meetings for the demo member, one at the host branch and one at home.

Past meetings are written in bulk (no revisions: nobody closed them in the admin). A demo
built for benchmarks (more than ``MAX_MEMBERS`` members in all) gets the upcoming meetings only.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.meetings import services
from portal.meetings.models import MEETING_ORG_KINDS, Meeting, MeetingAttendance
from portal.registry.models import Member, Organization

Kind, Status = Meeting.Kind, MeetingAttendance.Status
MAX_MEMBERS = 10_000
# (kind, day of the month, months it is held in: None for every month)
CALENDAR = [
    (Kind.THEME_DAY, 9, None),
    (Kind.ASSEMBLY, 15, (3, 6, 9, 12)),
    (Kind.LECTURE, 20, (2, 5, 8, 11)),
]
TITLES = {
    Kind.THEME_DAY: "主题党日：重温入党誓词",
    Kind.ASSEMBLY: "支部党员大会：学习传达上级精神",
    Kind.LECTURE: "党课：学习党章党规",
}
# How a member's attendance falls, in percent: present, on leave, absent.
WEIGHTS = (82, 8, 10)


def demo_meetings_build(*, county: Organization, member: Member, seed: int = 20260701) -> None:
    if Meeting.objects.exists():
        return
    users = get_user_model().objects.in_bulk(["secretary", "host_secretary"], field_name="username")
    if Member.objects.count() <= MAX_MEMBERS:
        _past_year(county, random.Random(seed))  # noqa: S311 - demo data, not secrets
    _upcoming(member, users)


def _dates(today: datetime.date) -> list[tuple[str, datetime.datetime]]:
    found = []
    for back in range(12, 0, -1):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        for kind, day, months in CALENDAR:
            if months is None or month + 1 in months:
                local = datetime.datetime(year, month + 1, day, 19, 30)
                found.append((kind, timezone.make_aware(local)))
    return found


def _past_year(county: Organization, rng: random.Random) -> None:
    branches = Organization.objects.within([county]).filter(kind__in=MEETING_ORG_KINDS)
    dates = _dates(timezone.localdate())
    for branch in branches:
        expected = list(services.members_expected_at(branch).values_list("pk", flat=True))
        if expected:
            _branch_year(branch, expected, dates, rng)


def _branch_year(branch, expected: list[int], dates, rng: random.Random) -> None:
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                organization=branch,
                kind=kind,
                title=TITLES[kind],
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                place=f"{branch.name}党员活动室",
                state=Meeting.State.CLOSED,
                closed_at=starts + datetime.timedelta(hours=2),
                minutes="<p>会议按议程进行，与会党员交流了学习体会。</p>",
            )
            for kind, starts in dates
        ]
    )
    # One member of every fifth branch stopped coming: flagged after three absences.
    stopped = expected[0] if branch.pk % 5 == 0 else None
    rows = []
    for index, meeting in enumerate(meetings):
        for member_id in expected:
            if member_id == stopped and index >= len(meetings) - 3:
                status = Status.ABSENT
            else:
                status = rng.choices((Status.PRESENT, Status.LEAVE, Status.ABSENT), WEIGHTS)[0]
            rows.append(MeetingAttendance(meeting=meeting, member_id=member_id, status=status))
    MeetingAttendance.objects.bulk_create(rows, batch_size=2000)


def _upcoming(member: Member, users: dict) -> None:
    now = timezone.localtime()
    soon = now.replace(hour=19, minute=30, second=0, microsecond=0) + datetime.timedelta(days=2)
    if member.host_id and "host_secretary" in users:
        services.meeting_plan(
            user=users["host_secretary"],
            organization=member.host,
            kind=Kind.THEME_DAY,
            title="主题党日：学习贯彻党的二十大精神",
            starts_at=soon,
            ends_at=soon + datetime.timedelta(hours=2),
            place=f"{member.host.city}流动党员服务站",
            online_link="https://meeting.example.cn/guiyan",
            agenda="一、重温入党誓词\n二、集中学习\n三、交流发言",
        )
    if "secretary" in users:
        later = soon + datetime.timedelta(days=5)
        services.meeting_plan(
            user=users["secretary"],
            organization=member.origin,
            kind=Kind.LECTURE,
            title="党课：在外流动党员如何发挥先锋模范作用",
            starts_at=later,
            ends_at=later + datetime.timedelta(hours=1, minutes=30),
            place="村委会会议室",
            online_link="https://meeting.example.cn/guiyan-home",
        )
