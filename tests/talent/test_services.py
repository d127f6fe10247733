"""Consent, the negative list and the record's signals on a talent profile."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from learning.credit.services import credit_grant
from learning.models import AnnualAssessment, CreditEntry, Grade, TrackCompletion, TrackPage
from talent.models import TalentProfile
from talent.services import (
    consent_record,
    consent_withdraw,
    negative_entry_add,
    negative_entry_lift,
    profile_create,
    profile_signals_refresh,
    profile_update,
)


def test_a_member_profile_joins_the_pool_only_with_consent(tree, members):
    """Without consent, or after it is withdrawn, recruiters do not see the profile."""
    profile = profile_create(member=members.a1)
    outsider = profile_create(name="非党员")
    assert list(TalentProfile.objects.in_pool()) == [outsider]
    consent_record(profile=profile)
    assert set(TalentProfile.objects.in_pool()) == {profile, outsider}
    consent_withdraw(profile=profile)
    assert list(TalentProfile.objects.in_pool()) == [outsider]
    assert not profile.in_pool


def test_consent_is_only_for_members(tree):
    with pytest.raises(ValidationError) as error:
        consent_record(profile=profile_create(name="非党员"))
    assert "member" in error.value.message_dict


def test_the_negative_list_flag_follows_open_entries(tree, members):
    """The flag stays while any sanction is open and clears when the last is lifted."""
    profile = profile_create(name="甲")
    first = negative_entry_add(profile=profile, reason="违纪处分")
    second = negative_entry_add(profile=profile, reason="失信被执行人")
    negative_entry_lift(entry=first)
    profile.refresh_from_db()
    assert profile.on_negative_list
    negative_entry_lift(entry=second)
    profile.refresh_from_db()
    assert not profile.on_negative_list
    with pytest.raises(ValidationError) as error:
        negative_entry_lift(entry=second)
    assert "lifted_on" in error.value.message_dict


def test_profile_update_reports_whether_anything_changed(tree):
    profile = profile_create(name="甲", skills=["电商"])
    assert not profile_update(profile=profile, name="甲", skills=["电商"])
    assert profile_update(profile=profile, skills=["电商", "养殖"])
    assert profile_update(profile=profile, employer="某公司")
    with pytest.raises(ValidationError) as error:
        profile_update(profile=profile, study_hours_this_year=99)
    assert "study_hours_this_year" in error.value.message_dict


def _reserve_track(tree) -> TrackPage:
    from wagtail.models import Page

    track = TrackPage(title="后备干部培训", kind=TrackPage.Kind.RESERVE_CADRE)
    Page.get_first_root_node().add_child(instance=track)
    return track


def test_record_changes_refresh_the_profile_signals(
    tree, members, django_capture_on_commit_callbacks
):
    """Credit, a confirmed grade and the reserve-cadre completion reach the profile on commit."""
    profile = profile_create(member=members.a1)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        credit_grant(
            member_id=members.a1.pk,
            source=CreditEntry.Source.CORRECTION,
            source_key="test:1",
            occurred_on=today,
            hours=Decimal("3.5"),
        )
        credit_grant(
            member_id=members.a1.pk,
            source=CreditEntry.Source.CORRECTION,
            source_key="test:old",
            occurred_on=datetime.date(today.year - 1, 6, 1),
            hours=Decimal("10"),
        )
    profile.refresh_from_db()
    assert profile.study_hours_this_year == Decimal("3.5")

    with django_capture_on_commit_callbacks(execute=True):
        AnnualAssessment.objects.create(
            member=members.a1,
            year=today.year - 1,
            draft_grade=Grade.EXCELLENT,
            grade=Grade.QUALIFIED,
            confirmed_at=timezone.now(),
            computed_at=timezone.now(),
        )
        AnnualAssessment.objects.create(
            member=members.a1,
            year=today.year,
            draft_grade=Grade.UNQUALIFIED,
            computed_at=timezone.now(),
        )
        track = _reserve_track(tree)
        TrackCompletion.objects.create(
            member=members.a1,
            track=track,
            track_title=track.title,
            track_kind=track.kind,
            study_hours=Decimal("1"),
            points=0,
            completed_at=timezone.now(),
        )
    profile.refresh_from_db()
    assert profile.latest_grade == Grade.QUALIFIED  # the draft of this year is not confirmed
    assert profile.reserve_cadre_trained
    assert not profile_signals_refresh(profile_id=profile.pk)  # idempotent: nothing changes
