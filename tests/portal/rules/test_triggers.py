"""Each trigger is raised by the service that does the thing, reaches the rules after commit,
and each condition narrows it."""

import datetime

import pytest
from django.utils import timezone

from portal.care import services as care
from portal.models import LostContact, Member, Notification, Role
from portal.parcels import services as parcels
from portal.whereabouts.services import (
    lost_contacts_flag,
    whereabouts_report_submit,
    whereabouts_report_verify,
)
from tests.portal.content.publishing_support import study_material
from tests.portal.parcels.helpers import package_in, shipping, with_login

from .helpers import notify, rule_make, told


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run ``action`` and then, as after its commit, the rules it raised."""

    def call(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return call


@pytest.fixture
def secretary_a1(tree, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.village_a1, "sec_a1")


# --- Pages ----------------------------------------------------------------------------


def test_submitted_unpublished_and_expired_pages(tree, sections, user_with_role, run):
    reviewer = user_with_role(Role.REVIEWER, tree.township_a, "reviewer_a")
    editor = user_with_role(Role.EDITOR, tree.township_a, "editor_a")
    submitted = rule_make("page_submitted", organization=tree.county, actions=[notify("reviewers")])
    unpublished = rule_make(
        "page_unpublished", organization=tree.county, actions=[notify("editors")]
    )
    expired = rule_make(
        "page_expired", organization=tree.county, actions=[notify("editors", title="过期：{title}")]
    )
    page = study_material(sections.a, owner=editor)
    run(page.get_workflow().start, page, editor)
    assert told(submitted) == {reviewer}

    live = study_material(sections.a, "第二篇", publish=True)
    run(live.unpublish)
    assert told(unpublished) == {editor} and told(expired) == set()

    old = study_material(sections.a, "第三篇", publish=True)
    run(old.unpublish, set_expired=True)
    assert told(expired) == {editor}
    assert Notification.objects.get(source_key__startswith=f"rule:{expired.pk}:").title == (
        "过期：第三篇"
    )


def test_page_type_and_tag_conditions(tree, sections, secretary_a1, run):
    by_type = rule_make(
        organization=tree.county,
        conditions=[{"key": "page_type", "params": {"page_types": ["portal.noticepage"]}}],
        actions=[notify("secretary", reach="below")],
    )
    by_tag = rule_make(
        organization=tree.county,
        conditions=[{"key": "tag", "params": {"tag": "党章"}}],
        actions=[notify("secretary", reach="below")],
    )
    page = study_material(sections.a)
    page.tags.add("党章")
    run(page.save_revision().publish)
    assert told(by_type) == set()
    assert told(by_tag) == {secretary_a1}


# --- Members ----------------------------------------------------------------------------


def _login(member):
    from portal.registry.factories import UserFactory

    member.user = UserFactory(username=member.phone)
    member.save()
    return member


def test_a_verified_whereabouts_report_tells_the_member(members, org_admin_a, run):
    member = _login(members.a1)
    rule = rule_make(
        "whereabouts_verified",
        organization=member.origin,
        actions=[notify("member", title="{title}", body="{member}，{city}")],
    )
    report = whereabouts_report_submit(
        member=member, city="深圳", address="宝安区 88 号", phone=member.phone, host=None
    )
    run(whereabouts_report_verify, report=report, user=org_admin_a)
    assert told(rule) == {member.user}
    assert Notification.objects.get(recipient=member.user).body == "甲一党员，深圳"


def test_lost_contact_tells_the_branch_secretary_with_the_built_in_rule(
    tree, members, secretary_a1, run, settings
):
    """The built-in rule; a threshold condition narrows another to the long-silent."""
    settings.LEDGER_LOST_CONTACT_DAYS = 90
    long_ago = timezone.localdate() - datetime.timedelta(days=200)
    Member.objects.filter(pk=members.a1.pk).update(last_contact_on=long_ago)
    Member.objects.filter(pk=members.a2.pk).update(
        last_contact_on=timezone.localdate() - datetime.timedelta(days=100)
    )
    Member.objects.exclude(pk__in=[members.a1.pk, members.a2.pk]).update(
        last_contact_on=timezone.localdate()
    )
    long_silent = rule_make(
        "member_lost_contact",
        organization=tree.county,
        conditions=[{"key": "threshold", "params": {"number": "days", "at_least": "180"}}],
        actions=[notify("secretary", reach="above")],
    )
    run(lost_contacts_flag)
    assert LostContact.objects.count() == 2
    [told_secretary] = Notification.objects.filter(recipient=secretary_a1).exclude(
        source_key__startswith=f"rule:{long_silent.pk}:"
    )
    assert members.a1.name in told_secretary.title
    assert told(long_silent) == {secretary_a1}
    run(lost_contacts_flag)  # nothing new: nobody told twice
    assert Notification.objects.filter(recipient=secretary_a1).count() == 2


def test_floating_status_and_member_organisation_conditions(tree, members, run):
    member = _login(members.a1)
    floating = rule_make(
        "whereabouts_verified",
        organization=tree.county,
        conditions=[{"key": "floating_status", "params": {"statuses": ["returned"]}}],
        actions=[notify("member")],
    )
    elsewhere = rule_make(
        "whereabouts_verified",
        organization=tree.county,
        conditions=[{"key": "member_organization", "params": {"organization": tree.township_b.pk}}],
        actions=[notify("member")],
    )
    here = rule_make(
        "whereabouts_verified",
        organization=tree.county,
        conditions=[{"key": "member_organization", "params": {"organization": tree.township_a.pk}}],
        actions=[notify("member")],
    )
    report = whereabouts_report_submit(
        member=member, city="深圳", address="宝安区 88 号", phone=member.phone, host=None
    )
    run(whereabouts_report_verify, report=report, user=None)
    assert told(floating) == told(elsewhere) == set()
    assert told(here) == {member.user}


def test_red_package_requested_dispatched_received(tree, members, secretary_a1, run):
    member = with_login(members.a1)
    package = package_in(tree.county, stock=3)
    requested = rule_make(
        "package_requested", organization=tree.county, actions=[notify("secretary")]
    )
    dispatched = rule_make(
        "package_dispatched",
        organization=tree.county,
        actions=[notify("member", body="{courier} {tracking_number}")],
    )
    received = rule_make(
        "package_received", organization=tree.county, actions=[notify("secretary")]
    )
    request = run(
        parcels.package_request_create,
        package=package,
        member=member,
        user=member.user,
        **shipping(member),
    )
    assert told(requested) == {secretary_a1} and told(dispatched) == set()
    run(
        parcels.package_request_dispatch,
        request=request,
        courier="顺丰",
        tracking_number="SF1234567890",
        user=secretary_a1,
    )
    assert told(dispatched) == {member.user}
    body = Notification.objects.get(source_key__startswith=f"rule:{dispatched.pk}:").body
    assert body == "顺丰 SF1234567890"
    run(parcels.package_request_receive, request=request, member=member)
    assert told(received) == {secretary_a1}


def test_transfers_submitted_accepted_rejected(tree, members, user_with_role, run):
    origin = user_with_role(Role.ORG_ADMIN, tree.village_a1, "origin_secretary")
    destination = user_with_role(Role.ORG_ADMIN, tree.village_b1, "destination_secretary")
    rules = {
        state: rule_make(
            f"transfer_{state}", organization=tree.county, actions=[notify("secretary")]
        )
        for state in ("submitted", "accepted", "rejected")
    }

    def submit():
        return run(
            care.transfer_submit,
            member=members.a1,
            destination=tree.village_b1,
            reason="回乡定居",
            user=origin,
        )

    transfer = submit()
    assert told(rules["submitted"]) == {destination}
    run(care.transfer_reject, transfer=transfer, user=destination, reason="不在本村居住")
    assert told(rules["rejected"]) == {origin}
    transfer = submit()
    run(care.transfer_accept, transfer=transfer, user=destination)
    assert told(rules["accepted"]) == {origin}


def test_the_members_liaison_is_a_recipient(tree, members, run):
    from portal.registry.factories import UserFactory

    liaison, former = UserFactory(username="liaison_a"), UserFactory(username="former_a")
    old = care.liaison_pair(
        liaison=former,
        member=members.a1,
        organization=tree.village_a1,
        started_on=datetime.date(2025, 1, 1),
    )
    care.liaison_end(pairing=old, ended_on=datetime.date(2025, 6, 1))
    care.liaison_pair(
        liaison=liaison,
        member=members.a1,
        organization=tree.village_a1,
        started_on=datetime.date(2025, 6, 2),
    )
    rule = rule_make("whereabouts_verified", organization=tree.county, actions=[notify("liaison")])
    report = whereabouts_report_submit(
        member=members.a1, city="深圳", address="宝安区 88 号", phone=members.a1.phone, host=None
    )
    run(whereabouts_report_verify, report=report, user=None)
    assert told(rule) == {liaison}
