"""Oversight of organisational life, per branch and per township: meetings held by kind
against the rules (``settings.MEETING_RULES``: each kind due every month or every quarter),
members' attendance rate, and members absent three times in a row. Figures are counted from
the closed meetings' attendance rows, the same rows the branch pages list.

Attendance rate: members present over members expected at the year's closed meetings; a
member on leave was expected and did not attend, so leave lowers the rate but is never an
absence in a row.
"""

import io
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _
from openpyxl import Workbook

from portal.meetings.models import Meeting, MeetingAttendance
from portal.meetings.selectors import organizations_meeting_for
from portal.registry.identity import mask_name, mask_phone
from portal.registry.models import Organization
from portal.registry.selectors import organizations_managed_by
from portal.registry.spreadsheets import cell_safe

Status = MeetingAttendance.Status
ABSENCES_IN_A_ROW = 3
AREA_LEVELS = (Organization.Level.TOWNSHIP, Organization.Level.HOST_CITY)


def periods_due(rule: str, *, year: int, today) -> int:
    """How many months or quarters of ``year`` have begun by ``today``."""
    months = 12 if year < today.year else (today.month if year == today.year else 0)
    return months if rule == "month" else (months + 2) // 3


@dataclass
class Figures:
    """One branch's year, or a township's (the sum of its branches)."""

    organization: Organization
    held: dict = field(default_factory=dict)
    due: dict = field(default_factory=dict)
    expected: int = 0
    present: int = 0
    flagged: list = field(default_factory=list)
    # A township's (or host city's) branches, each with its own figures: the drill-down.
    branches: list = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return round(100 * self.present / self.expected, 1) if self.expected else None

    def kinds(self) -> list[tuple[str, int, int | None]]:
        """(label, held, due or None when the rules ask nothing) for every kind."""
        return [
            (label, self.held.get(kind, 0), self.due.get(kind))
            for kind, label in Meeting.Kind.choices
        ]

    def short(self) -> bool:
        return any(self.held.get(kind, 0) < due for kind, due in self.due.items())

    def add(self, other: "Figures") -> None:
        for kind, n in other.held.items():
            self.held[kind] = self.held.get(kind, 0) + n
        for kind, n in other.due.items():
            self.due[kind] = self.due.get(kind, 0) + n
        self.expected += other.expected
        self.present += other.present
        self.flagged += other.flagged


@dataclass(frozen=True)
class Flag:
    member_id: int
    name: str
    phone: str
    branch: str
    dates: tuple


def _closed(branches, year: int):
    return Meeting.objects.filter(
        organization__in=branches, state=Meeting.State.CLOSED, starts_at__year=year
    )


def _flags(branches) -> dict[int, list[Flag]]:
    """branch id → members whose last three closed meetings there were all absences."""
    rows = (
        MeetingAttendance.objects.filter(
            meeting__organization__in=branches, meeting__state=Meeting.State.CLOSED
        )
        .order_by("meeting__organization_id", "member_id", "-meeting__starts_at")
        .values_list(
            "meeting__organization_id",
            "meeting__organization__name",
            "member_id",
            "member__name",
            "member__phone",
            "status",
            "meeting__starts_at",
        )
    )
    flags = defaultdict(list)
    for (org_id, member_id), group in groupby(rows.iterator(), key=lambda r: (r[0], r[2])):
        last = [row for _, row in zip(range(ABSENCES_IN_A_ROW), group, strict=False)]
        if len(last) == ABSENCES_IN_A_ROW and all(r[5] == Status.ABSENT for r in last):
            dates = tuple(r[6].date() for r in last)
            flags[org_id].append(Flag(member_id, last[0][3], last[0][4], last[0][1], dates))
    return flags


def absence_runs_through(meeting: Meeting) -> dict[int, tuple[int, int]]:
    """member id → (first meeting id, length) of the run of absences at ``meeting``'s branch
    that ``meeting`` is part of, for each member absent at it. Counted as the flags are:
    closed meetings of the branch in order of start, anything but an absence (present,
    leave) ending the run."""
    absent = meeting.attendances.filter(status=Status.ABSENT).values_list("member_id", flat=True)
    rows = (
        MeetingAttendance.objects.filter(
            meeting__organization_id=meeting.organization_id,
            meeting__state=Meeting.State.CLOSED,
            member_id__in=list(absent),
        )
        .order_by("member_id", "meeting__starts_at", "meeting_id")
        .values_list("member_id", "meeting_id", "status")
    )
    runs = {}
    for member_id, group in groupby(rows, key=lambda r: r[0]):
        run: list[int] = []
        for _member, meeting_id, status in group:
            if status == Status.ABSENT:
                run.append(meeting_id)
            elif meeting.pk in run:
                break
            else:
                run = []
        if meeting.pk in run:
            runs[member_id] = (run[0], len(run))
    return runs


def oversight_branches(user, *, year: int, today) -> list[Figures]:
    """Every branch the user keeps that held a meeting or had one due, with its figures."""
    branches = list(organizations_meeting_for(user))
    rules = settings.MEETING_RULES
    held = defaultdict(dict)
    for org_id, kind, n in (
        _closed(branches, year).values_list("organization_id", "kind").annotate(n=Count("pk"))
    ):
        held[org_id][kind] = n
    counts = defaultdict(lambda: [0, 0])
    attended = MeetingAttendance.objects.filter(meeting__in=_closed(branches, year))
    for org_id, status, n in attended.values_list("meeting__organization_id", "status").annotate(
        n=Count("pk")
    ):
        counts[org_id][0] += n
        counts[org_id][1] += n if status == Status.PRESENT else 0
    flags = _flags(branches)
    due = {kind: periods_due(rule, year=year, today=today) for kind, rule in rules.items()}
    return [
        Figures(b, held[b.pk], dict(due), counts[b.pk][0], counts[b.pk][1], flags.get(b.pk, []))
        for b in branches
    ]


def oversight_areas(user, rows: list[Figures]) -> list[Figures]:
    """Townships (and host cities) the user keeps, each the sum of its branches below."""
    areas = [
        Figures(area)
        for area in organizations_managed_by(user).filter(level__in=AREA_LEVELS).order_by("path")
    ]
    for row in rows:
        for area in areas:
            if row.organization.path.startswith(area.organization.path):
                area.add(row)
                area.branches.append(row)
    return [area for area in areas if area.held or area.expected or area.due]


def _figure_cells(row: Figures) -> list:
    """held/due of each kind, the attendance rate and how many are flagged."""
    cells = [f"{h}/{'' if d is None else d}" for _, h, d in row.kinds()]
    return [*cells, row.rate, len(row.flagged)]


def oversight_workbook(*, branches: list[Figures], areas: list[Figures], year: int) -> bytes:
    """The figures as .xlsx: branches, townships, each township's branches (the drill-down),
    and the flagged members, names and phones masked."""
    book = Workbook(write_only=True)
    held_due = [f"{label}（{_('held')}/{_('due')}）" for _kind, label in Meeting.Kind.choices]
    figure_heads = [*held_due, _("attendance rate (%)"), _("flagged")]
    for title, rows in ((_("Branches"), branches), (_("Townships"), areas)):
        sheet = book.create_sheet(f"{year} {title}")
        sheet.append([_("organisation"), *figure_heads])
        for row in rows:
            sheet.append([cell_safe(row.organization.name), *_figure_cells(row)])
    sheet = book.create_sheet(f"{year} {_('Branches by township')}")
    sheet.append([_("township"), _("branch"), *figure_heads])
    for area in areas:
        for row in area.branches:
            name, branch = area.organization.name, row.organization.name
            sheet.append([cell_safe(name), cell_safe(branch), *_figure_cells(row)])
    sheet = book.create_sheet(_("Absent three times in a row"))
    sheet.append([_("branch"), _("member"), _("phone"), _("last meetings")])
    for row in branches:
        for flag in row.flagged:
            dates = "、".join(day.isoformat() for day in flag.dates)
            sheet.append(
                [cell_safe(flag.branch), mask_name(flag.name), mask_phone(flag.phone), dates]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
