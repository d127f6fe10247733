"""Consent on a member's talent profile in the admin: county org admins record it (the date
and how it was obtained go to the profile's history) and withdraw it; the profile joins and
leaves the pool. Recruiters, other admins, members and visitors are refused."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import ModelLogEntry

from portal.models import Role
from talent.models import TalentProfile
from talent.selectors import profiles_visible_to
from talent.services import consent_record, profile_create
from talent.views import LOG_CONSENT_RECORD, LOG_CONSENT_WITHDRAW


@pytest.fixture
def county_admin(tree, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.county, "county_admin")


@pytest.fixture
def profile(tree, members):
    """A member's profile, not in the pool until consent is recorded."""
    return profile_create(member=members.a1, hometown_village=tree.village_a1)


def _url(profile) -> str:
    return reverse("talent_profile:consent", args=[profile.pk])


def _record(client, profile, **fields):
    data = {
        "action": "record",
        "record-given_on": GIVEN(),
        "record-method": "signed_form",
        "record-note": "",
    }
    data.update({f"record-{k}": v for k, v in fields.items()})
    return client.post(_url(profile), data)


def _withdraw(client, profile, **fields):
    data = {"action": "withdraw", "withdraw-withdrawn_on": WITHDRAWN(), "withdraw-note": ""}
    data.update({f"withdraw-{k}": v for k, v in fields.items()})
    return client.post(_url(profile), data)


def _day(offset: int) -> str:
    """A date as typed in the form, ``offset`` days from today."""
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def GIVEN():  # noqa: N802 - read as the dates they name; computed when used, not at import
    return _day(-60)


def WITHDRAWN():  # noqa: N802
    return _day(-20)


def TOMORROW():  # noqa: N802
    return _day(1)


def _entries(profile):
    return ModelLogEntry.objects.for_instance(profile).order_by("timestamp", "pk")


def test_consent_round_trip(client, tree, profile, county_admin, user_with_role):
    """Recorded: the profile joins the pool, the history holds the date, how and the note,
    by whom. Withdrawn: it leaves the pool at once, and the history says when."""
    recruiter = user_with_role(Role.RECRUITER, tree.county)
    assert profile not in profiles_visible_to(recruiter)
    client.force_login(county_admin)
    assert client.get(_url(profile)).status_code == 200

    response = _record(client, profile, method="in_person", note="在村委会当面确认")
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.in_pool and profile.consented_at
    assert profile in profiles_visible_to(recruiter)
    recorded = _entries(profile).get()
    assert (recorded.action, recorded.user) == (LOG_CONSENT_RECORD, county_admin)
    assert recorded.data == {"given_on": GIVEN(), "method": "in_person", "note": "在村委会当面确认"}
    assert GIVEN() in recorded.message and recorded.comment == "在村委会当面确认"
    page = client.get(_url(profile)).content.decode()
    assert "在村委会当面确认" in page and "data-consent-withdraw" in page

    response = _withdraw(client, profile, note="本人电话要求退出")
    assert response.status_code == 302
    profile.refresh_from_db()
    assert not profile.in_pool and profile.consent_withdrawn_at
    assert profile not in profiles_visible_to(recruiter)
    assert not TalentProfile.objects.in_pool().filter(pk=profile.pk).exists()
    withdrawn = _entries(profile).last()
    assert withdrawn.action == LOG_CONSENT_WITHDRAW
    assert withdrawn.data == {"withdrawn_on": WITHDRAWN(), "note": "本人电话要求退出"}
    assert WITHDRAWN() in withdrawn.message

    # The history view of the profile shows both steps with their Chinese labels.
    history = client.get(reverse("talent_profile:history", args=[profile.pk])).content.decode()
    assert gettext("Record consent") in history and gettext("Withdraw consent") in history

    # Consent may be given again after a withdrawal.
    assert _record(client, profile, given_on=_day(-10)).status_code == 302
    profile.refresh_from_db()
    assert profile.in_pool and profile.consent_withdrawn_at is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"given_on": ""}, "given_on", "Give the date the member gave their consent."),
        ({"given_on": TOMORROW}, "given_on", "The date consent was given cannot be in the future."),
        ({"given_on": "三月一日"}, "given_on", "Write the date as 2026-03-01."),
        ({"method": ""}, "method", "Choose how the consent was obtained."),
        ({"method": "other"}, "note", "Say in the note how the consent was obtained."),
    ],
)
def test_recording_consent_refuses_bad_input_on_its_field(
    client, profile, county_admin, fields, field, message
):
    client.force_login(county_admin)
    # A date is computed when the test runs: collected before midnight, run after, it holds.
    fields = {name: value() if callable(value) else value for name, value in fields.items()}
    response = _record(client, profile, **fields)
    assert response.status_code == 200
    assert response.context["record_form"].errors[field] == [gettext(message)]
    profile.refresh_from_db()
    assert not profile.consented_at
    assert not _entries(profile).exists()


def test_consent_is_not_recorded_twice_nor_withdrawn_before_it_was_given(
    client, profile, county_admin
):
    client.force_login(county_admin)
    response = _withdraw(client, profile)
    assert response.context["withdraw_form"].non_field_errors() == [
        gettext("There is no consent to withdraw.")
    ]
    _record(client, profile)
    response = _record(client, profile)
    assert response.context["record_form"].non_field_errors() == [
        gettext("The member's consent is already recorded.")
    ]
    response = _withdraw(client, profile, withdrawn_on=_day(-61))
    assert response.context["withdraw_form"].errors["withdrawn_on"] == [
        gettext("Consent is withdrawn on or after the day it was given (%(date)s).")
        % {"date": GIVEN()}
    ]
    response = _withdraw(client, profile, withdrawn_on=TOMORROW())
    assert response.context["withdraw_form"].errors["withdrawn_on"] == [
        gettext("The date consent was withdrawn cannot be in the future.")
    ]
    profile.refresh_from_db()
    assert profile.in_pool
    assert _entries(profile).count() == 1


def test_consent_recorded_elsewhere_is_withdrawn_from_its_recording_day(
    client, profile, county_admin
):
    """Consent the import or the demo recorded has no history entry: its day is the day it
    was recorded."""
    consent_record(profile=profile)
    recorded = timezone.localtime() - datetime.timedelta(days=30)
    TalentProfile.objects.filter(pk=profile.pk).update(consented_at=recorded)
    client.force_login(county_admin)
    response = _withdraw(client, profile, withdrawn_on=_day(-31))
    assert "withdrawn_on" in response.context["withdraw_form"].errors
    assert _withdraw(client, profile, withdrawn_on=_day(-30)).status_code == 302


def test_a_non_members_profile_needs_no_consent(client, tree, county_admin):
    other = profile_create(name="非党员人才", hometown_village=tree.village_a1)
    client.force_login(county_admin)
    response = client.get(_url(other))
    assert response.status_code == 200
    assert "data-consent-record" not in response.content.decode()
    _record(client, other)
    other.refresh_from_db()
    assert other.consented_at is None
    assert not _entries(other).exists()


def test_an_unknown_profile_is_a_404(client, county_admin, tree):
    client.force_login(county_admin)
    assert client.get(reverse("talent_profile:consent", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("role", "where"),
    [
        (Role.RECRUITER, "county"),
        (Role.ORG_ADMIN, "township_a"),
        (Role.MEMBER, "village_a1"),
    ],
)
def test_only_county_org_admins_record_consent(client, tree, profile, user_with_role, role, where):
    client.force_login(user_with_role(role, getattr(tree, where)))
    assert client.get(_url(profile)).status_code in (302, 403)
    assert _record(client, profile).status_code in (302, 403)
    profile.refresh_from_db()
    assert profile.consented_at is None
    assert not _entries(profile).exists()


def test_a_recruiter_cannot_withdraw_and_a_visitor_is_sent_to_log_in(
    client, tree, profile, user_with_role
):
    consent_record(profile=profile)
    client.force_login(user_with_role(Role.RECRUITER, tree.county))
    response = _withdraw(client, profile)
    assert response.status_code in (302, 403) and "login" not in response.get("Location", "")
    client.logout()
    response = _withdraw(client, profile)
    assert response.status_code == 302 and "login" in response["Location"]
    profile.refresh_from_db()
    assert profile.in_pool
