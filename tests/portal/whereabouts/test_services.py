"""Whereabouts services: contact, reports, verification, and the lost-contact job."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import LostContact, Member, WhereaboutsReport
from portal.registry.demo import DEMO_MEMBER_PHONE
from portal.registry.factories import UserFactory
from portal.whereabouts import tasks
from portal.whereabouts.services import (
    lost_contact_clear,
    lost_contacts_flag,
    member_contact_record,
    whereabouts_report_return,
    whereabouts_report_submit,
    whereabouts_report_verify,
)

D = datetime.date


JAN_1 = D(2025, 1, 1)


def _flag(member, since=JAN_1):
    return LostContact.objects.create(member=member, since=since, flagged_on=D(2025, 4, 1))


def test_contact_record_moves_last_contact_forward_only(members):
    """A contact sets the date; an older contact entered later does not turn it back."""
    member = members.a1
    member_contact_record(member=member, on=D(2025, 5, 10))
    member_contact_record(member=member, on=D(2025, 3, 1))
    member.refresh_from_db()
    assert member.last_contact_on == D(2025, 5, 10)


def test_contact_record_clears_the_open_flag(members):
    """Hearing from a flagged member clears the flag, with the date and who recorded it."""
    secretary = UserFactory()
    flag = _flag(members.a1)
    member_contact_record(member=members.a1, on=D(2025, 5, 2), user=secretary)
    flag.refresh_from_db()
    assert flag.cleared_on == D(2025, 5, 2)
    assert flag.cleared_by == secretary
    assert not LostContact.objects.filter(member=members.a1, cleared_on__isnull=True).exists()


def test_contact_before_the_flag_does_not_clear_it(members):
    """A contact dated before the member was last heard of is no news: the flag stays."""
    flag = _flag(members.a1, since=D(2025, 1, 1))
    member_contact_record(member=members.a1, on=D(2024, 12, 1))
    flag.refresh_from_db()
    assert flag.cleared_on is None


def test_contact_record_leaves_other_members_alone(members):
    """Only the named member's date and flag change."""
    other_flag = _flag(members.a2)
    member_contact_record(member=members.a1, on=D(2025, 5, 2))
    other_flag.refresh_from_db()
    members.a2.refresh_from_db()
    assert other_flag.cleared_on is None
    assert members.a2.last_contact_on is None


pytestmark = pytest.mark.django_db


# --- Reports --------------------------------------------------------------------------

REPORT = {"city": "深圳", "employer": "鹏城电子", "address": "宝安区西乡街道 88 号"}


def _submit(member, **overrides):
    data = {**REPORT, "phone": member.phone, "host": None, **overrides}
    return whereabouts_report_submit(member=member, **data)


def test_a_report_awaits_verification_and_counts_as_contact(members):
    """Filing a report records contact today and clears a lost-contact flag; the ledger
    row keeps its values until the origin branch verifies."""
    flag = _flag(members.a1)
    report = _submit(members.a1, phone="13912345678")
    assert report.status == WhereaboutsReport.Status.SUBMITTED
    assert report.month == timezone.localdate().replace(day=1)
    members.a1.refresh_from_db()
    assert members.a1.last_contact_on == timezone.localdate()
    assert members.a1.phone != "13912345678"
    assert members.a1.address == ""
    flag.refresh_from_db()
    assert flag.cleared_on == timezone.localdate()


def test_verifying_puts_the_values_on_the_ledger(members, tree, org_admin_a):
    """City, employer, address, phone and host reach the member's row on verification."""
    report = _submit(members.a1, phone="13912345678", host=tree.host_branch)
    whereabouts_report_verify(report=report, user=org_admin_a)
    members.a1.refresh_from_db()
    report.refresh_from_db()
    assert report.status == WhereaboutsReport.Status.VERIFIED
    assert report.verified_by == org_admin_a
    assert (members.a1.host_city, members.a1.employer, members.a1.address) == (
        "深圳",
        "鹏城电子",
        "宝安区西乡街道 88 号",
    )
    assert (members.a1.phone, members.a1.host) == ("13912345678", tree.host_branch)


def test_history_is_kept(members, org_admin_a):
    """A second report is a new row; the first keeps its values and status."""
    first = _submit(members.a1, city="深圳")
    whereabouts_report_verify(report=first, user=org_admin_a)
    second = _submit(members.a1, city="东莞")
    whereabouts_report_verify(report=second, user=org_admin_a)
    first.refresh_from_db()
    assert (first.city, first.status) == ("深圳", WhereaboutsReport.Status.VERIFIED)
    assert members.a1.whereabouts_reports.count() == 2
    members.a1.refresh_from_db()
    assert members.a1.host_city == "东莞"


def test_an_older_report_verified_late_does_not_undo_a_newer_one(members, org_admin_a):
    """Verifying last month's report after this month's leaves this month's on the ledger."""
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    old = _submit(members.a1, city="深圳", month=last_month)
    new = _submit(members.a1, city="东莞")
    whereabouts_report_verify(report=new, user=org_admin_a)
    whereabouts_report_verify(report=old, user=org_admin_a)
    members.a1.refresh_from_db()
    assert members.a1.host_city == "东莞"


def test_filing_another_members_phone_is_accepted_and_verification_refuses_it(members, org_admin_a):
    """Filing says nothing about whose number a phone is (no membership oracle); the ledger's
    phone stays unique because verification, which writes it, refuses the clash."""
    report = _submit(members.a1, phone=members.a2.phone, city="东莞")
    assert report.status == WhereaboutsReport.Status.SUBMITTED
    with pytest.raises(ValidationError) as clash:
        whereabouts_report_verify(report=report, user=org_admin_a)
    assert "phone" in clash.value.message_dict
    members.a1.refresh_from_db()
    assert members.a1.phone != members.a2.phone and members.a1.host_city != "东莞"


def test_a_phone_taken_after_filing_is_refused_at_verification(members, org_admin_a):
    """Another member may take the number between filing and verification: nothing changes."""
    report = _submit(members.a1, phone="13912345678", city="东莞")
    Member.objects.filter(pk=members.a2.pk).update(phone="13912345678")
    with pytest.raises(ValidationError) as clash:
        whereabouts_report_verify(report=report, user=org_admin_a)
    assert clash.value.message_dict["phone"] == [
        str(_("Another member already has this phone number."))
    ]
    report.refresh_from_db()
    members.a1.refresh_from_db()
    assert report.status == WhereaboutsReport.Status.SUBMITTED
    assert members.a1.host_city != "东莞"


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", "12345"), ("city", ""), ("address", "")],
)
def test_bad_input_names_the_field_and_saves_nothing(members, field, value):
    """A bad phone or a missing city or address is refused against its field."""
    with pytest.raises(ValidationError) as refused:
        _submit(members.a1, **{field: value})
    assert field in refused.value.message_dict
    assert not WhereaboutsReport.objects.exists()


def test_the_host_must_be_a_host_side_organisation(members, tree):
    with pytest.raises(ValidationError) as refused:
        _submit(members.a1, host=tree.village_a2)
    assert "host" in refused.value.message_dict


def test_a_future_month_is_refused(members):
    next_month = (timezone.localdate().replace(day=28) + datetime.timedelta(days=7)).replace(day=1)
    with pytest.raises(ValidationError) as refused:
        _submit(members.a1, month=next_month)
    assert "month" in refused.value.message_dict


def test_sending_back_needs_a_reason_and_leaves_the_ledger(members, org_admin_a):
    """A report sent back carries the reason; the ledger keeps its values."""
    report = _submit(members.a1, city="东莞")
    with pytest.raises(ValidationError) as refused:
        whereabouts_report_return(report=report, user=org_admin_a, reason="  ")
    assert "return_reason" in refused.value.message_dict
    whereabouts_report_return(report=report, user=org_admin_a, reason="地址不详")
    report.refresh_from_db()
    members.a1.refresh_from_db()
    assert (report.status, report.return_reason) == (WhereaboutsReport.Status.RETURNED, "地址不详")
    assert members.a1.host_city != "东莞"


def test_a_decided_report_cannot_be_decided_again(members, org_admin_a):
    report = _submit(members.a1)
    whereabouts_report_return(report=report, user=org_admin_a, reason="地址不详")
    with pytest.raises(ValidationError) as refused:
        whereabouts_report_verify(report=report, user=org_admin_a)
    assert "status" in refused.value.message_dict


# --- Lost contact ---------------------------------------------------------------------


def test_the_daily_job_flags_silent_floating_members_once(members, settings):
    """Floating members silent for LEDGER_LOST_CONTACT_DAYS are flagged; a second run adds
    nothing; members heard of recently, or not floating, are left alone."""
    settings.LEDGER_LOST_CONTACT_DAYS = 30
    today = D(2025, 6, 1)
    Member.objects.filter(pk=members.a1.pk).update(last_contact_on=D(2025, 4, 1))
    Member.objects.filter(pk=members.a2.pk).update(last_contact_on=D(2025, 5, 20))
    Member.objects.filter(pk=members.b1.pk).update(
        last_contact_on=D(2025, 1, 1), floating_status=Member.FloatingStatus.RETURNED
    )
    assert lost_contacts_flag(today=today) == 1
    assert lost_contacts_flag(today=today) == 0
    flag = LostContact.objects.get()
    assert (flag.member, flag.since, flag.flagged_on) == (members.a1, D(2025, 4, 1), today)


def test_a_member_never_heard_of_counts_from_floating_since(members, settings):
    settings.LEDGER_LOST_CONTACT_DAYS = 30
    Member.objects.update(floating_since=D(2025, 1, 10))
    assert lost_contacts_flag(today=D(2025, 6, 1)) == 3
    assert set(LostContact.objects.values_list("since", flat=True)) == {D(2025, 1, 10)}


def test_a_cleared_flag_can_be_raised_again_later(members, settings):
    """Only one open flag per member; after it is cleared, a new silence flags again."""
    settings.LEDGER_LOST_CONTACT_DAYS = 30
    Member.objects.exclude(pk=members.a1.pk).update(last_contact_on=D(2025, 9, 1))
    Member.objects.filter(pk=members.a1.pk).update(last_contact_on=D(2025, 1, 1))
    lost_contacts_flag(today=D(2025, 3, 1))
    member_contact_record(member=members.a1, on=D(2025, 3, 5))
    assert lost_contacts_flag(today=D(2025, 9, 1)) == 1
    assert LostContact.objects.filter(member=members.a1).count() == 2


def test_the_beat_task_runs_the_job(members, settings):
    """The Celery task flags as of today (tests run Celery eagerly)."""
    settings.LEDGER_LOST_CONTACT_DAYS = 30
    Member.objects.update(last_contact_on=timezone.localdate() - datetime.timedelta(days=31))
    assert tasks.lost_contacts_flag.delay().get() == 3
    assert tasks.lost_contacts_flag.delay().get() == 0


def test_one_open_flag_per_member_is_enforced_by_the_database(members):
    _flag(members.a1)
    with pytest.raises(IntegrityError), transaction.atomic():
        _flag(members.a1)


def test_clearing_with_a_note(members, org_admin_a):
    """The secretary clears the flag with a note; today counts as contact, so the next run
    does not raise it again. A note is required."""
    flag = _flag(members.a1)
    with pytest.raises(ValidationError) as refused:
        lost_contact_clear(flag=flag, user=org_admin_a, note=" ")
    assert "note" in refused.value.message_dict
    lost_contact_clear(flag=flag, user=org_admin_a, note="电话联系上了")
    flag.refresh_from_db()
    members.a1.refresh_from_db()
    assert (flag.note, flag.cleared_by, flag.cleared_on) == (
        "电话联系上了",
        org_admin_a,
        timezone.localdate(),
    )
    assert members.a1.last_contact_on == timezone.localdate()
    with pytest.raises(ValidationError):
        lost_contact_clear(flag=flag, user=org_admin_a, note="again")


# --- Demo data ------------------------------------------------------------------------


def test_the_demo_has_reports_of_every_status_and_one_lost_member(db, settings):
    """seed_demo gives the demo member a history, a bounded sample of others a report in
    each state, and exactly one open lost-contact flag; the daily job adds none."""
    call_command("seed_demo", members=120, stdout=StringIO())
    demo_member = Member.objects.get(phone=DEMO_MEMBER_PHONE)
    statuses = list(demo_member.whereabouts_reports.values_list("status", flat=True))
    assert statuses == ["submitted", "verified", "verified"]
    assert set(WhereaboutsReport.objects.values_list("status", flat=True)) == {
        "submitted",
        "verified",
        "returned",
    }
    assert WhereaboutsReport.objects.count() <= 3 + 12
    assert LostContact.objects.filter(cleared_on__isnull=True).count() == 1
    assert lost_contacts_flag() == 0
    call_command("seed_demo", members=10, stdout=StringIO())
    assert demo_member.whereabouts_reports.count() == 3
