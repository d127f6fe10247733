"""The demo's learning data: tracks, a quiz and assignments in the county's section, and
progress for the demo member, made once with portal's demo."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from learning.models import (
    CreditEntry,
    QuizPage,
    StepProgress,
    TrackAssignment,
    TrackCompletion,
    TrackPage,
)
from learning.tracks.selectors import tracks_for_member
from portal.models import Member, Organization, SectionPage
from portal.registry.demo import COUNTY_CODE, DEMO_MEMBER_PHONE

Kind = TrackPage.Kind


@pytest.fixture
def seeded(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", members=50, stdout=StringIO())


def _counts():
    return (
        TrackPage.objects.count(),
        QuizPage.objects.count(),
        TrackAssignment.objects.count(),
        CreditEntry.objects.count(),
    )


def test_the_demo_has_a_monthly_pack_a_reserve_cadre_track_and_a_quiz(seeded):
    county = Organization.objects.get(code=COUNTY_CODE)
    section = SectionPage.objects.get(organization=county)
    tracks = TrackPage.objects.child_of(section)
    template = tracks.get(is_template=True)
    assert template.title == "一月一课一片一实践"
    today = timezone.localdate()
    pack = tracks.get(is_template=False, kind=Kind.MONTHLY_PACK)
    assert pack.live and pack.title == f"{today.year}年{today.month}月 一月一课一片一实践"
    reserve = tracks.get(kind=Kind.RESERVE_CADRE)
    assert reserve.live
    steps = pack.steps.order_by("sort_order").values_list("sort_order", "kind")
    assert list(steps) == [(0, "material"), (1, "lecture"), (2, "quiz"), (3, "offline")]
    quiz = QuizPage.objects.child_of(section).get()
    assert len(quiz.questions) == 6
    for page in (template, pack, reserve, quiz):
        assert page.get_view_restrictions().exists()
    assert set(TrackAssignment.objects.values_list("organization", flat=True)) == {county.pk}


def test_the_demo_member_has_the_tracks_and_some_credit(seeded):
    member = Member.objects.get(phone=DEMO_MEMBER_PHONE)
    kinds = {track.kind for track in tracks_for_member(member)}
    assert kinds == {Kind.MONTHLY_PACK, Kind.RESERVE_CADRE}
    completion = TrackCompletion.objects.get(member=member)
    assert completion.track_kind == Kind.RESERVE_CADRE
    assert CreditEntry.objects.filter(member=member, hours__gt=0).exists()
    assert (
        StepProgress.objects.filter(member=member, step__track__kind=Kind.MONTHLY_PACK).count() == 2
    )
    others = Member.objects.exclude(pk=member.pk)
    assert not StepProgress.objects.filter(member__in=others).exists()


def test_seeding_again_adds_no_learning_data(seeded):
    before = _counts()
    call_command("seed_demo", members=50, stdout=StringIO())
    assert _counts() == before
