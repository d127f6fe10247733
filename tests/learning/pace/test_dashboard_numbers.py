"""The branch dashboard's figures agree with the data they summarise: every bucket of the
hours chart, its table and the participation rows are counted against the ledger and the
member rows, each member once (issue 16)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.credit.services import credit_grant
from learning.models import CreditEntry
from portal.models import Member, Role
from portal.registry import services
from portal.registry.factories import MemberFactory, UserFactory

INDEX = "learning_dashboard:index"
# Hours of each member of 甲镇, most of them credited in several entries; None: no record.
HOURS = {
    "无记录一": None,
    "无记录二": None,
    "冲销归零": [Decimal("4.0"), Decimal("-4.0")],
    "零点一": [Decimal("0.1")],
    "七点九": [Decimal("4.0"), Decimal("3.9")],
    "整八": [Decimal("2.0")] * 4,
    "十五点九": [Decimal("15.9")],
    "十六": [Decimal("8.0"), Decimal("8.0")],
    "二十四": [Decimal("24.0")],
    "三十一点九": [Decimal("30.0"), Decimal("1.9")],
    "三十二": [Decimal("16.0"), Decimal("16.0")],
    "四十": [Decimal("10.0")] * 4,
}


def _grant(member, hours: Decimal, key: str, on: datetime.date) -> None:
    credit_grant(
        member_id=member.pk,
        source=CreditEntry.Source.CORRECTION,
        source_key=key,
        occurred_on=on,
        hours=hours,
    )


@pytest.fixture
def branch(tree, members):
    """甲镇 with the members above (alternating its two villages), plus members who must not
    count: one moved out to 乙乡 after earning hours, one deleted, and last year's hours."""
    today = timezone.localdate()
    made = {}
    for index, (name, entries) in enumerate(HOURS.items()):
        village = tree.village_a1 if index % 2 else tree.village_a2
        made[name] = member = MemberFactory(name=name, origin=village)
        for number, hours in enumerate(entries or []):
            _grant(member, hours, f"test:{name}:{number}", today)
    _grant(made["无记录一"], Decimal("50.0"), "test:last-year", datetime.date(today.year - 1, 6, 1))
    moved = MemberFactory(name="已转出", origin=tree.village_a1)
    _grant(moved, Decimal("12.0"), "test:moved", today)
    Member.objects.filter(pk=moved.pk).update(origin=tree.village_b1)
    MemberFactory(name="已删除", origin=tree.village_a2).delete()
    inactive = MemberFactory(name="账号停用", origin=tree.village_a1, user=UserFactory())
    inactive.user.is_active = False
    inactive.user.save()
    return made


def _hours_by_member(pks) -> dict[int, Decimal]:
    """Each member's hours this year, summed in Python from the ledger rows."""
    today = timezone.localdate()
    totals = dict.fromkeys(pks, Decimal("0"))
    entries = CreditEntry.objects.filter(
        member_id__in=pks, occurred_on__year=today.year, occurred_on__lte=today
    )
    for member_id, hours in entries.values_list("member_id", "hours"):
        totals[member_id] += hours
    return totals


def _expected_buckets(hours: list[Decimal]) -> dict[str, int]:
    """The chart's ranges written out by hand: 0 or less, then [lower, upper)."""
    ranges = {
        "0": lambda h: h <= 0,
        "0–8": lambda h: 0 < h < 8,
        "8–16": lambda h: 8 <= h < 16,
        "16–24": lambda h: 16 <= h < 24,
        "24–32": lambda h: 24 <= h < 32,
        "≥32": lambda h: h >= 32,
    }
    return {label: sum(1 for h in hours if test(h)) for label, test in ranges.items()}


def _chart(html: str, name: str) -> dict[str, str]:
    """label → shown number of each bar of the inline SVG chart ``name``."""
    svg = re.search(rf'<svg[^>]*data-chart="{name}".*?</svg>', html, re.S).group(0)
    bars = re.findall(
        r'<text x="0"[^>]*>([^<]*)</text>.*?<text x="\d+"[^>]*>([^<]*)</text>', svg, re.S
    )
    return dict(bars)


def _table(html: str, name: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*data-table="{name}".*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    return [[cell.strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in rows]


@pytest.fixture
def page(client, branch, org_admin_a, settings):
    settings.LEARNING_YEARLY_HOURS = 32.0
    client.force_login(org_admin_a)
    response = client.get(reverse(INDEX))
    assert response.status_code == 200
    return response


def test_every_hour_bucket_counts_the_members_whose_ledger_sums_fall_in_it(tree, page):
    """Boundaries 0, 8, 16, 24 and 32 each fall in the bucket they start; members with no
    record are at 0; several entries of one member count the member once; moved-out and
    deleted members are not counted, a member whose login is disabled is."""
    kept = Member.objects.filter(origin__path__startswith=tree.township_a.path)
    hours = _hours_by_member(list(kept.values_list("pk", flat=True)))
    expected = _expected_buckets(list(hours.values()))
    assert expected == {"0": 6, "0–8": 2, "8–16": 2, "16–24": 1, "24–32": 2, "≥32": 2}
    html = page.content.decode()
    chart = _chart(html, "hours")
    assert chart == {label: str(count) for label, count in expected.items()}
    assert dict(_table(html, "hours")) == chart
    assert sum(int(count) for count in chart.values()) == kept.count() == 15


def test_the_behind_pace_table_agrees_with_the_chart_and_the_ledger(page):
    """Every listed member's hours are their ledger sum, and the listed members fill the
    chart's buckets below the pace target."""
    behind = list(page.context["behind"])
    ledger = _hours_by_member([member.pk for member in behind])
    assert {member.pk: member.hours for member in behind} == ledger
    target = page.context["target"]
    assert page.context["behind_count"] == len(behind)
    assert all(member.hours < target for member in behind)
    chart = {bucket.label: bucket.count for bucket in page.context["hour_buckets"]}
    assert chart["0"] == sum(1 for member in behind if member.hours <= 0)


def test_participation_rows_add_up_to_the_members_in_the_chart(tree, page):
    """Per-branch totals count every kept member once, at their current origin branch."""
    rows = {row.organization: row.members for row in page.context["branches"]}
    by_origin = {
        village: Member.objects.filter(origin=village).count()
        for village in (tree.village_a1, tree.village_a2)
    }
    assert rows == by_origin
    chart_total = sum(bucket.count for bucket in page.context["hour_buckets"])
    assert sum(rows.values()) == chart_total


def test_a_host_secretary_s_chart_counts_only_the_paired_members_living_there(
    client, tree, members, user_with_role
):
    """The chart has the scope of the behind-pace list and the ledger (members_visible_to)."""
    services.pairing_create(
        origin=tree.township_b, host=tree.host_branch, signed_on=datetime.date(2025, 1, 1)
    )
    unpaired = MemberFactory(name="甲一在深", origin=tree.village_a1, host=tree.host_branch)
    _grant(unpaired, Decimal("20.0"), "test:unpaired", timezone.localdate())
    _grant(members.b1, Decimal("9.0"), "test:paired", timezone.localdate())
    client.force_login(user_with_role(Role.ORG_ADMIN, tree.host_branch, "host_secretary"))
    response = client.get(reverse(INDEX))
    counts = {bucket.label: bucket.count for bucket in response.context["hour_buckets"]}
    assert {label: n for label, n in counts.items() if n} == {"8–16": 1}
