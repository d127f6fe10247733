"""Oversight figures against the attendance rows they count: meetings held against the rules,
attendance rate, three absences in a row, per branch and per township; the masked export."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.meetings import oversight, services
from portal.models import MeetingAttendance, Role
from portal.registry.factories import MemberFactory

Status = MeetingAttendance.Status
DAY = datetime.timedelta(days=1)


@pytest.fixture
def held(plan, tree, people):
    """Close a meeting of the home branch 乙一村 ``days_ago`` with the given statuses."""

    def make(days_ago: int, statuses: dict, kind: str = "theme_day"):
        meeting = plan(
            starts_in=-days_ago * DAY, organization=tree.village_b1, place="村部", kind=kind
        )
        services.meeting_close(meeting=meeting, user=people["origin"], statuses=statuses)
        return meeting

    return make


def _today():
    return timezone.localdate()


def _row(user, organization, year=None):
    rows = oversight.oversight_branches(user, year=year or _today().year, today=_today())
    return next(row for row in rows if row.organization == organization), rows


def test_held_rate_and_flags_are_counted_from_the_rows(held, tree, members, people):
    second = MemberFactory(name="乙一二号", origin=tree.village_b1)
    days = [1, 2, 3] if _today().timetuple().tm_yday > 3 else []
    if not days:
        pytest.skip("the first days of the year hold no three past meetings")
    held(3, {members.b1.pk: Status.ABSENT, second.pk: Status.PRESENT})
    held(2, {members.b1.pk: Status.ABSENT, second.pk: Status.LEAVE})
    held(1, {members.b1.pk: Status.ABSENT, second.pk: Status.PRESENT}, kind="lecture")
    row, _ = _row(people["origin"], tree.village_b1)
    rows = MeetingAttendance.objects.filter(meeting__organization=tree.village_b1)
    assert row.expected == rows.count() == 6
    assert row.present == rows.filter(status=Status.PRESENT).count() == 2
    assert row.rate == round(100 * 2 / 6, 1)
    assert row.held == {"theme_day": 2, "lecture": 1}
    assert [flag.member_id for flag in row.flagged] == [members.b1.pk]


def test_a_presence_breaks_the_run_of_absences(held, tree, members, people):
    if _today().timetuple().tm_yday <= 4:
        pytest.skip("the first days of the year hold no four past meetings")
    for days_ago, status in ((4, Status.ABSENT), (3, Status.ABSENT), (2, Status.PRESENT)):
        held(days_ago, {members.b1.pk: status})
    held(1, {members.b1.pk: Status.ABSENT})
    row, _ = _row(people["origin"], tree.village_b1)
    assert row.flagged == []


def test_leave_is_not_an_absence_in_a_row(held, tree, members, people):
    if _today().timetuple().tm_yday <= 3:
        pytest.skip("the first days of the year hold no three past meetings")
    for days_ago, status in ((3, Status.ABSENT), (2, Status.LEAVE), (1, Status.ABSENT)):
        held(days_ago, {members.b1.pk: status})
    assert _row(people["origin"], tree.village_b1)[0].flagged == []


def test_the_rules_say_what_is_due(settings):
    settings.MEETING_RULES = {"theme_day": "month", "assembly": "quarter"}
    today = datetime.date(2026, 5, 10)
    assert oversight.periods_due("month", year=2026, today=today) == 5
    assert oversight.periods_due("quarter", year=2026, today=today) == 2
    assert oversight.periods_due("quarter", year=2025, today=today) == 4


def test_a_township_sums_its_branches(held, tree, members, people, user_with_role):
    held(1, {members.b1.pk: Status.PRESENT})
    branches = oversight.oversight_branches(people["origin"], year=_today().year, today=_today())
    township_admin = user_with_role(Role.ORG_ADMIN, tree.township_b, "township_b_admin")
    rows = oversight.oversight_branches(township_admin, year=_today().year, today=_today())
    areas = oversight.oversight_areas(township_admin, rows)
    assert [area.organization for area in areas] == [tree.township_b]
    assert areas[0].present == sum(row.present for row in rows) == branches[0].present == 1
    assert areas[0].held == {"theme_day": 1}


def test_the_host_branch_sees_only_its_own_branch(held, tree, members, people):
    held(1, {members.b1.pk: Status.PRESENT})
    rows = oversight.oversight_branches(people["host"], year=_today().year, today=_today())
    assert [row.organization for row in rows] == [tree.host_branch]
    assert rows[0].expected == 0


def test_the_export_masks_names_and_phones(client, held, tree, members, people):
    if _today().timetuple().tm_yday <= 3:
        pytest.skip("the first days of the year hold no three past meetings")
    for days_ago in (3, 2, 1):
        held(days_ago, {members.b1.pk: Status.ABSENT})
    client.force_login(people["origin"])
    response = client.get(reverse("portal_meeting:oversight_export"))
    book = load_workbook(io.BytesIO(response.content))
    cells = [str(c) for sheet in book for r in sheet.iter_rows(values_only=True) for c in r]
    assert members.b1.name not in cells and members.b1.phone not in cells
    flagged = book.worksheets[-1]
    assert flagged.max_row == 2  # the header and the one flagged member
    assert flagged.cell(2, 3).value == members.b1.masked_phone
    page = client.get(reverse("portal_meeting:oversight")).content.decode()
    assert f'data-member="{members.b1.pk}"' in page


def test_the_chart_shows_the_rates_of_the_table(client, held, tree, members, people):
    held(1, {members.b1.pk: Status.PRESENT})
    held(2, {members.b1.pk: Status.ABSENT})
    client.force_login(people["origin"])
    page = client.get(reverse("portal_meeting:oversight")).content.decode()
    chart = re.findall(r"<text[^>]*data-rate>([^<]*)</text>", page)
    table = re.findall(r'<td class="rate">([^<]*)</td>', page)
    assert chart == ["50.0%"] and table == ["50.0%"]
