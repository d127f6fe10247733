"""The township's row opens its branches' figures below it: the same figures, per branch,
counted from the rows, summing to the township's; scoped to the user's subtrees; and in the
export as a sheet of its own."""

import datetime
import io

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
def county_admin(tree, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.county, "county_admin")


@pytest.fixture
def year_held(plan, tree, members, people, county_admin):
    """This year: 甲一村 a 党课 (甲一党员 present), 甲二村 a 主题党日 (甲二党员 absent),
    乙一村 two 主题党日 (乙一党员 present then on leave, a second member absent twice)."""
    if timezone.localdate().timetuple().tm_yday <= 3:
        pytest.skip("the first days of the year hold no past meetings")
    second = MemberFactory(name="乙一二号", origin=tree.village_b1, floating_status="local")

    def close(organization, days_ago, statuses, kind="theme_day"):
        meeting = plan(
            starts_in=-days_ago * DAY, organization=organization, place="村部", kind=kind
        )
        services.meeting_close(meeting=meeting, user=county_admin, statuses=statuses)

    close(tree.village_a1, 2, {members.a1.pk: Status.PRESENT}, kind="lecture")
    close(tree.village_a2, 2, {members.a2.pk: Status.ABSENT})
    close(tree.village_b1, 2, {members.b1.pk: Status.PRESENT, second.pk: Status.ABSENT})
    close(tree.village_b1, 1, {members.b1.pk: Status.LEAVE, second.pk: Status.ABSENT})
    return second


def _areas(user):
    today = timezone.localdate()
    rows = oversight.oversight_branches(user, year=today.year, today=today)
    return {area.organization.name: area for area in oversight.oversight_areas(user, rows)}


def test_each_township_holds_its_branches_figures_from_the_rows(tree, county_admin, year_held):
    areas = _areas(county_admin)
    township_a = areas[tree.township_a.name]
    assert [row.organization for row in township_a.branches] == [
        tree.village_a1,
        tree.village_a2,
    ]
    for row in areas[tree.township_a.name].branches + areas[tree.township_b.name].branches:
        rows = MeetingAttendance.objects.filter(meeting__organization=row.organization)
        assert row.expected == rows.count()
        assert row.present == rows.filter(status=Status.PRESENT).count()
    (village_b1,) = areas[tree.township_b.name].branches
    assert (village_b1.expected, village_b1.present, village_b1.rate) == (4, 1, 25.0)
    assert village_b1.held == {"theme_day": 2}
    for area in (township_a, areas[tree.township_b.name]):
        assert area.expected == sum(row.expected for row in area.branches)
        assert area.present == sum(row.present for row in area.branches)
        assert len(area.flagged) == sum(len(row.flagged) for row in area.branches)
    assert township_a.held == {"lecture": 1, "theme_day": 1}


def test_the_page_opens_one_township_below_its_row(client, tree, county_admin, year_held):
    client.force_login(county_admin)
    url = reverse("portal_meeting:oversight")
    closed = client.get(url).content.decode()
    assert "data-area=" not in closed
    assert f"area={tree.township_a.pk}" in closed
    page = client.get(url, {"area": tree.township_a.pk}).content.decode()
    table = page.split('id="areas"')[1].split("</table>")[0]
    opened = table.split(f'data-organization="{tree.township_a.pk}"')[1]
    before_b = opened.split(f'data-organization="{tree.township_b.pk}"')[0]
    assert f'data-organization="{tree.village_a1.pk}" data-area="{tree.township_a.pk}"' in before_b
    assert f'data-organization="{tree.village_a2.pk}" data-area="{tree.township_a.pk}"' in before_b
    assert f'data-area="{tree.township_b.pk}"' not in table


def test_a_township_outside_the_subtree_does_not_open(client, tree, user_with_role, year_held):
    township_b_admin = user_with_role(Role.ORG_ADMIN, tree.township_b, "township_b_admin")
    assert list(_areas(township_b_admin)) == [tree.township_b.name]
    client.force_login(township_b_admin)
    url = reverse("portal_meeting:oversight")
    assert client.get(url, {"area": tree.township_a.pk}).status_code == 404
    assert client.get(url, {"area": tree.township_b.pk}).status_code == 200


def test_the_export_has_the_branches_by_township(client, tree, members, county_admin, year_held):
    client.force_login(county_admin)
    response = client.get(reverse("portal_meeting:oversight_export"))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[2]
    rows = list(sheet.iter_rows(values_only=True))
    by_branch = {(row[0], row[1]): row for row in rows[1:]}
    assert set(by_branch) == {
        (tree.township_a.name, tree.village_a1.name),
        (tree.township_a.name, tree.village_a2.name),
        (tree.township_b.name, tree.village_b1.name),
        (tree.centre.name, tree.host_branch.name),  # a host city opens like a township
    }
    assert by_branch[(tree.township_b.name, tree.village_b1.name)][-2:] == (25.0, 0)
    cells = [str(c) for sheet in book for r in sheet.iter_rows(values_only=True) for c in r]
    assert year_held.name not in cells and members.b1.phone not in cells
