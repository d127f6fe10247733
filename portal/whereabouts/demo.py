"""Demo whereabouts: the demo member's monthly reports, a small sample of other members'
reports (verified, awaiting verification, sent back) and one member out of contact.

Bounded whatever the member count: one UPDATE for everyone's last contact, then rows for a
sample of SAMPLE members only, so a 100,000-member seed stays fast.
"""

import datetime

from django.utils import timezone

from portal.registry.models import Member, Role, RoleAssignment
from portal.whereabouts.models import LostContact, WhereaboutsReport
from portal.whereabouts.services import whereabouts_report_submit, whereabouts_report_verify

SAMPLE = 12
RECENT_CONTACT_DAYS = 20  # everyone floating was heard of recently, but for the flagged one
LOST_DAYS = 150


def _months_back(today: datetime.date, count: int) -> datetime.date:
    month = today.replace(day=1)
    for _step in range(count):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


def _report_row(member: Member, month: datetime.date, status: str, **extra) -> WhereaboutsReport:
    """A report with the values already on the member's ledger row."""
    return WhereaboutsReport(
        member=member,
        month=month,
        city=member.host_city or "深圳",
        employer=member.employer,
        address=member.address or f"{member.host_city or '深圳'}市城区务工人员公寓",
        phone=member.phone,
        host=member.host,
        status=status,
        **extra,
    )


def _demo_member_history(*, member: Member, verifier) -> None:
    """Two verified months, then this month's report awaiting verification."""
    today = timezone.localdate()
    for back in (2, 1, 0):
        report = whereabouts_report_submit(
            member=member,
            month=_months_back(today, back),
            city=member.host_city,
            employer=member.employer,
            address="深圳市宝安区西乡街道流塘村 12 栋",
            phone=member.phone,
            host=member.host,
            reported_by=member.user,
        )
        if back:
            whereabouts_report_verify(report=report, user=verifier)


def _sample_reports(*, sample: list[Member], verifier) -> None:
    today = timezone.localdate()
    last_month = _months_back(today, 1)
    statuses = WhereaboutsReport.Status
    rows = [
        _report_row(
            m, last_month, statuses.VERIFIED, verified_by=verifier, verified_at=timezone.now()
        )
        for m in sample[:-2]
    ]
    rows.append(_report_row(sample[-2], today.replace(day=1), statuses.SUBMITTED))
    rows.append(
        _report_row(
            sample[-1],
            today.replace(day=1),
            statuses.RETURNED,
            return_reason="地址不完整，请写明街道和门牌号。",
            verified_by=verifier,
            verified_at=timezone.now(),
        )
    )
    WhereaboutsReport.objects.bulk_create(rows)


def _county_admin():
    grant = RoleAssignment.objects.filter(role=Role.ORG_ADMIN, organization__depth=1).first()
    return grant.user if grant else None


def demo_whereabouts_build(*, member: Member) -> None:
    """Once: a second seed finds the demo member's reports and leaves everything alone.
    The county's org admin verified what is verified."""
    if WhereaboutsReport.objects.filter(member=member).exists():
        return
    verifier = _county_admin()
    today = timezone.localdate()
    floating = Member.objects.filter(floating_status=Member.FloatingStatus.FLOATING)
    floating.update(last_contact_on=today - datetime.timedelta(days=RECENT_CONTACT_DAYS))
    sample = list(
        floating.exclude(pk=member.pk).filter(host__isnull=False).order_by("pk")[: SAMPLE + 1]
    )
    _demo_member_history(member=member, verifier=verifier)
    if len(sample) < 3:
        return
    lost, sample = sample[0], sample[1:]
    _sample_reports(sample=sample, verifier=verifier)
    since = today - datetime.timedelta(days=LOST_DAYS)
    Member.objects.filter(pk=lost.pk).update(last_contact_on=since)
    LostContact.objects.create(member=lost, since=since, flagged_on=today)
