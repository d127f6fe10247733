"""A red package counts as study: requested, dispatched and received, it brings the tracks
that read it to the member, and the member's reading note completes the step and earns the
track's hours. Portal sends ``red_package_received``; learning answers (portal imports no
learning)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import (
    CreditEntry,
    StepProgress,
    TrackAssignment,
    TrackCompletion,
    TrackPage,
    TrackStep,
)
from learning.tracks.services import red_package_tracks_assign
from portal.models import RedPackageRequest
from portal.parcels import services as parcels
from tests.portal.content.helpers import draft, publish
from tests.portal.parcels.helpers import package_in, section_of, shipping, with_login

pytestmark = pytest.mark.django_db
NOTE = "读了党的二十大报告，对“中国式现代化”的五个特征有了更深的理解，" * 3


def reading_track(section, package, title="红色包裹读书", *, live=True) -> TrackPage:
    track = TrackPage(title=title, kind=TrackPage.Kind.RED_PACKAGE, study_hours="3.0", points=15)
    track.steps = [TrackStep(kind=TrackStep.Kind.READING, page=package, sort_order=0)]
    return publish(section, track, private=True) if live else draft(section, track)


@pytest.fixture
def setting(tree, members):
    package = package_in(tree.county, stock=5)
    section = section_of(tree.county)
    track = reading_track(section, package)
    return package, track, with_login(members.a1)


def test_request_dispatch_receipt_then_the_reading_note_earns_the_hours(
    client, setting, org_admin_a, django_capture_on_commit_callbacks
):
    package, track, member = setting
    client.force_login(member.user)
    response = client.post(reverse("package_request", args=[package.pk]), shipping(member))
    assert response.status_code == 302
    made = RedPackageRequest.objects.get(member=member)
    assert not TrackAssignment.objects.filter(member=member).exists()

    parcels.package_request_dispatch(
        request=made, courier="中国邮政EMS", tracking_number="EA123456789CN", user=org_admin_a
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("package_receive", args=[made.pk]))
    assert TrackAssignment.objects.filter(member=member, track=track).exists()
    record = client.get(reverse("learning:record")).content.decode()
    assert f'data-track="{track.pk}"' in record

    step = track.steps.get()
    response = client.post(step.get_url(), {"note": NOTE})
    assert response.status_code == 302
    progress = StepProgress.objects.get(member=member, step=step)
    assert progress.completed_at is not None and progress.note == NOTE.strip()
    assert TrackCompletion.objects.filter(member=member, track=track).exists()
    hours = sum(e.hours for e in CreditEntry.objects.filter(member=member))
    assert hours == Decimal("3.0")


def test_assignment_is_idempotent_and_takes_only_live_tracks_reading_the_package(tree, setting):
    package, track, member = setting
    section = section_of(tree.county)
    other_package = package_in(tree.county, title="另一包")
    reading_track(section, other_package, "另一包读书")
    reading_track(section, package, "草稿读书", live=False)
    assert red_package_tracks_assign(member_id=member.pk, package_id=package.pk) == 1
    assert red_package_tracks_assign(member_id=member.pk, package_id=package.pk) == 0
    assigned = TrackAssignment.objects.filter(member=member)
    assert [a.track_id for a in assigned] == [track.pk]


def test_a_member_who_had_the_track_by_name_keeps_that_one_assignment(
    setting, django_capture_on_commit_callbacks, org_admin_a
):
    package, track, member = setting
    TrackAssignment.objects.create(track=track, member=member)
    made = parcels.package_request_create(
        package=package, member=member, user=member.user, **shipping(member)
    )
    parcels.package_request_dispatch(
        request=made, courier="EMS", tracking_number="EA123456789CN", user=org_admin_a
    )
    with django_capture_on_commit_callbacks(execute=True):
        parcels.package_request_receive(request=made, member=member)
    assert TrackAssignment.objects.filter(member=member).count() == 1
    assert made.received_at <= timezone.now()
