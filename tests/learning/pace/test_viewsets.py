"""The branch dashboard: org admins only, their subtree only, participation by branch, inline
charts, and an export with masked phones and no formulas."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from learning.credit.services import credit_grant
from learning.models import CreditEntry, StepProgress
from learning.pace.selectors import participation_by_branch
from learning.pace.viewsets import cell_safe
from portal.models import Role
from portal.registry import services
from portal.registry.factories import MemberFactory
from portal.registry.selectors import members_visible_to

from ..helpers import learning_setup

INDEX = "learning_dashboard:index"
EXPORT = "learning_dashboard:export"


@pytest.fixture
def setup(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return learning_setup(tree.township_a)


def _studied_this_month(member, step) -> None:
    now = timezone.now()
    StepProgress.objects.create(member=member, step=step, opened_at=now, completed_at=now)


def _on_pace(member) -> None:
    credit_grant(
        member_id=member.pk,
        source=CreditEntry.Source.TRACK,
        source_key="track:on-pace",
        occurred_on=timezone.localdate(),
        hours=Decimal("32.0"),
    )


def test_participation_by_branch_counts_members_who_studied_this_month(tree, members, setup):
    MemberFactory(name="甲一另一党员", origin=tree.village_a1)
    _studied_this_month(members.a1, setup.steps.material)
    rows = participation_by_branch(organizations=[tree.township_a])
    assert [(r.organization, r.members, r.active) for r in rows] == [
        (tree.village_a1, 2, 1),
        (tree.village_a2, 1, 0),
    ]
    assert rows[0].share == 0.5


def test_a_host_secretary_sees_the_hosted_members_at_their_branch(tree, members):
    rows = participation_by_branch(organizations=[tree.host_branch])
    assert [(r.organization, r.members) for r in rows] == [(tree.host_branch, 1)]


def test_the_dashboard_shows_the_subtree_behind_pace_with_masked_phones(
    client, tree, members, setup, org_admin_a
):
    _on_pace(members.a1)
    client.force_login(org_admin_a)
    response = client.get(reverse(INDEX))
    assert response.status_code == 200
    assert [m.pk for m in response.context["behind"]] == [members.a2.pk]
    html = response.content.decode()
    assert members.a2.masked_phone in html and members.a2.phone not in html
    assert members.b1.name not in html
    assert html.count("data-chart=") == 2 and 'data-chart="participation"' in html
    assert tree.village_b1.name not in html


def test_only_org_admins_open_the_dashboard(client, tree, user_with_role):
    for role in (Role.EDITOR, Role.REVIEWER, Role.RECRUITER):
        client.force_login(user_with_role(role, tree.county))
        assert client.get(reverse(INDEX)).status_code in (302, 403)
        assert client.get(reverse(EXPORT)).status_code in (302, 403)


def test_the_dashboard_costs_the_same_queries_for_more_members(client, tree, members, org_admin_a):
    client.force_login(org_admin_a)
    client.get(reverse(INDEX))  # the session's first admin page reads what it then keeps
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(INDEX))
    for index in range(25):
        MemberFactory(name=f"党员{index}", origin=tree.village_a2)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(INDEX))
    assert len(many) == len(few)


def test_the_export_lists_members_behind_pace_masked_and_formula_free(
    client, tree, members, org_admin_a
):
    sly = MemberFactory(name="=HYPERLINK(1)", origin=tree.village_a1)
    client.force_login(org_admin_a)
    response = client.get(reverse(EXPORT))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    names = {row[0] for row in rows[1:]}
    assert names == {members.a1.name, members.a2.name, "'=HYPERLINK(1)"}
    cells = {str(value) for row in rows for value in row}
    assert sly.masked_phone in cells
    assert not {sly.phone, sly.id_number, members.a1.phone} & cells
    assert all(not str(value).startswith("=") for row in rows for value in row if value)


def test_cells_that_would_run_as_formulas_become_text():
    assert [cell_safe(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "党员", 3)] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "党员",
        3,
    ]


def test_a_host_secretary_sees_only_members_of_paired_townships(
    client, tree, members, user_with_role
):
    """The same scope as the ledger (members_visible_to): 乙乡 is paired with the host branch,
    甲镇 is not, though both have members living there."""
    services.pairing_create(
        origin=tree.township_b, host=tree.host_branch, signed_on=datetime.date(2025, 1, 1)
    )
    unpaired = MemberFactory(
        name="甲一在深党员", origin=tree.village_a1, host=tree.host_branch, host_city="深圳"
    )
    secretary = user_with_role(Role.ORG_ADMIN, tree.host_branch, "host_secretary")
    visible = set(members_visible_to(secretary).values_list("pk", flat=True))
    assert visible == {members.b1.pk}
    client.force_login(secretary)

    response = client.get(reverse(INDEX))
    assert {m.pk for m in response.context["behind"]} == visible
    assert response.context["behind_count"] == len(visible)
    assert sum(row.members for row in response.context["branches"]) == len(visible)
    html = response.content.decode()
    assert unpaired.name not in html and unpaired.masked_phone not in html

    sheet = load_workbook(io.BytesIO(client.get(reverse(EXPORT)).content)).active
    rows = list(sheet.iter_rows(values_only=True))[1:]
    assert len(rows) == len(visible)
    assert [row[0] for row in rows] == [members.b1.name]
