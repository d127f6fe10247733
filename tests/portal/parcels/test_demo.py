"""The demo's red packages: the demo member's package received, a few for the secretary to
send, the stock taken by them, and nothing more on a second seed."""

from io import StringIO

import pytest
from django.core.management import call_command

from portal.models import Member, RedPackagePage, RedPackageRequest
from portal.parcels.demo import PACKAGE_SLUG, SAMPLE
from portal.registry.demo import DEMO_MEMBER_PHONE

State = RedPackageRequest.State


@pytest.fixture
def seeded(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", members=50, stdout=StringIO())


def test_the_demo_member_has_received_the_package_and_the_secretary_has_some_to_send(seeded):
    package = RedPackagePage.objects.get(slug=PACKAGE_SLUG)
    member = Member.objects.get(phone=DEMO_MEMBER_PHONE)
    mine = RedPackageRequest.objects.get(member=member)
    assert mine.state == State.RECEIVED and mine.tracking_number
    others = RedPackageRequest.objects.exclude(member=member)
    assert 1 <= others.count() <= SAMPLE  # the branch's floating members, a few at most
    assert set(others.values_list("member__origin", flat=True)) == {member.origin_id}
    assert others.filter(state=State.DISPATCHED).count() == 1
    assert package.available == 200 - 1 - others.count()


def test_seeding_again_adds_no_requests(seeded):
    before = RedPackageRequest.objects.count()
    call_command("seed_demo", members=50, stdout=StringIO())
    assert RedPackageRequest.objects.count() == before
