"""The negative list in the admin: county org admins add an entry with its reason and date and
lift it; the profile's flag follows. Recruiters see the flag, never the reasons; everyone else
is refused. Bad input is refused on its field, in Chinese."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import ModelLogEntry

from portal.models import Role
from talent.models import NegativeListEntry
from talent.services import negative_entry_add, profile_create
from talent.views import LOG_NEGATIVE_ADD, LOG_NEGATIVE_LIFT

REASON = "违反计划生育政策受到处分"


@pytest.fixture
def county_admin(tree, user_with_role):
    return user_with_role(Role.ORG_ADMIN, tree.county, "county_admin")


@pytest.fixture
def profile(tree):
    return profile_create(name="负面清单测试", hometown_village=tree.village_a1)


def _day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def _add(client, profile, reason=REASON, added_on=None):
    added_on = _day(-30).isoformat() if added_on is None else added_on
    url = reverse("talent_profile:negative_list", args=[profile.pk])
    return client.post(url, {"add-reason": reason, "add-added_on": added_on})


def _lift(client, profile, entry, lifted_on):
    url = reverse("talent_profile:negative_lift", args=[profile.pk, entry.pk])
    return client.post(url, {f"lift-{entry.pk}-lifted_on": lifted_on})


def test_add_and_lift_round_trip(client, profile, county_admin):
    """Added: the flag is up, the entry lists its reason, date and who added it. Lifted: the
    flag is down and the entry moves to the lifted ones. Both are in the history, without
    the reason."""
    client.force_login(county_admin)
    response = _add(client, profile)
    assert response.status_code == 302
    entry = NegativeListEntry.objects.get()
    assert (entry.reason, entry.added_on, entry.added_by) == (REASON, _day(-30), county_admin)
    profile.refresh_from_db()
    assert profile.on_negative_list
    page = client.get(reverse("talent_profile:negative_list", args=[profile.pk]))
    assert [e for e, _form in page.context["current"]] == [entry]
    assert REASON in page.content.decode()

    response = _lift(client, profile, entry, _day(-1).isoformat())
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.lifted_on == _day(-1)
    profile.refresh_from_db()
    assert not profile.on_negative_list
    page = client.get(reverse("talent_profile:negative_list", args=[profile.pk]))
    assert page.context["current"] == [] and page.context["lifted"] == [entry]

    logs = ModelLogEntry.objects.for_instance(profile).order_by("pk")
    assert [log.action for log in logs] == [LOG_NEGATIVE_ADD, LOG_NEGATIVE_LIFT]
    assert all(REASON not in str(log.data) for log in logs)
    history = client.get(reverse("talent_profile:history", args=[profile.pk])).content.decode()
    assert gettext("Add to the negative list") in history


def test_a_second_open_entry_keeps_the_flag_until_both_are_lifted(client, profile, county_admin):
    client.force_login(county_admin)
    _add(client, profile)
    _add(client, profile, reason="另一处分", added_on=_day(-5).isoformat())
    first, second = NegativeListEntry.objects.order_by("added_on")
    _lift(client, profile, first, _day(0).isoformat())
    profile.refresh_from_db()
    assert profile.on_negative_list
    _lift(client, profile, second, _day(0).isoformat())
    profile.refresh_from_db()
    assert not profile.on_negative_list


@pytest.mark.parametrize(
    ("reason", "added_on", "field", "message"),
    [
        ("   ", None, "reason", "Write the reason for the negative-list entry."),
        (REASON, "", "added_on", "Give the date the entry was added."),
        (REASON, "2026年3月", "added_on", "Write the date as 2026-03-01."),
        (REASON, "tomorrow", "added_on", "The date added cannot be in the future."),
    ],
)
def test_adding_refuses_bad_input_on_its_field(
    client, profile, county_admin, reason, added_on, field, message
):
    client.force_login(county_admin)
    if added_on == "tomorrow":
        added_on = _day(1).isoformat()
    response = _add(client, profile, reason=reason, added_on=added_on)
    assert response.status_code == 200
    assert response.context["add_form"].errors[field] == [gettext(message)]
    assert not NegativeListEntry.objects.exists()
    profile.refresh_from_db()
    assert not profile.on_negative_list


def test_lifting_refuses_a_date_before_the_entry_or_in_the_future(client, profile, county_admin):
    """The model's rule (lifted after added) and the form's (not in the future) land on the
    lifted-on field of that entry's form; the entry stays open."""
    client.force_login(county_admin)
    _add(client, profile)
    entry = NegativeListEntry.objects.get()
    response = _lift(client, profile, entry, _day(-31).isoformat())
    assert response.status_code == 200
    forms = dict(response.context["current"])
    assert forms[entry].errors["lifted_on"] == [gettext("A sanction is lifted after it was added.")]
    assert "解除日期不能早于列入日期。" in response.content.decode()
    response = _lift(client, profile, entry, _day(1).isoformat())
    forms = dict(response.context["current"])
    assert forms[entry].errors["lifted_on"] == [gettext("The date lifted cannot be in the future.")]
    response = _lift(client, profile, entry, "")
    assert dict(response.context["current"])[entry].errors["lifted_on"] == [
        gettext("Give the date the entry was lifted.")
    ]
    entry.refresh_from_db()
    profile.refresh_from_db()
    assert entry.lifted_on is None and profile.on_negative_list
    assert not ModelLogEntry.objects.filter(action=LOG_NEGATIVE_LIFT).exists()


def test_a_lifted_entry_or_another_profiles_entry_cannot_be_lifted(
    client, tree, profile, county_admin
):
    client.force_login(county_admin)
    other = profile_create(name="另一人", hometown_village=tree.village_b1)
    foreign = negative_entry_add(profile=other, reason="其他", added_on=_day(-3))
    assert _lift(client, profile, foreign, _day(0).isoformat()).status_code == 404
    foreign.refresh_from_db()
    assert foreign.lifted_on is None
    _lift(client, other, foreign, _day(0).isoformat())
    assert _lift(client, other, foreign, _day(0).isoformat()).status_code == 404
    url = reverse("talent_profile:negative_lift", args=[other.pk, foreign.pk])
    assert client.get(url).status_code == 405


def test_a_recruiter_sees_the_flag_but_not_the_reason(client, tree, profile, user_with_role):
    negative_entry_add(profile=profile, reason=REASON, added_on=_day(-3))
    recruiter = user_with_role(Role.RECRUITER, tree.county)
    client.force_login(recruiter)
    page = client.get(reverse("talent_profile:inspect", args=[profile.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    # the flag, in Chinese
    assert re.search(r"<dt>列入负面清单</dt>\s*<dd>\s*(<span[^>]*>)?是(</span>)?\s*</dd>", html)
    assert REASON not in html
    response = client.get(reverse("talent_profile:negative_list", args=[profile.pk]))
    assert response.status_code in (302, 403)
    assert REASON not in response.content.decode()


def test_the_county_admin_sees_the_reasons_on_the_profile(client, profile, county_admin):
    negative_entry_add(profile=profile, reason=REASON, added_on=_day(-3))
    client.force_login(county_admin)
    html = client.get(reverse("talent_profile:inspect", args=[profile.pk])).content.decode()
    assert REASON in html
    assert reverse("talent_profile:negative_list", args=[profile.pk]) in html


@pytest.mark.parametrize(
    ("role", "where"),
    [
        (Role.RECRUITER, "county"),
        (Role.ORG_ADMIN, "township_a"),
        (Role.MEMBER, "village_a1"),
    ],
)
def test_only_county_org_admins_add_or_lift(client, tree, profile, user_with_role, role, where):
    entry = negative_entry_add(profile=profile, reason=REASON, added_on=_day(-3))
    client.force_login(user_with_role(role, getattr(tree, where)))
    assert _add(client, profile).status_code in (302, 403)
    assert _lift(client, profile, entry, _day(0).isoformat()).status_code in (302, 403)
    assert NegativeListEntry.objects.count() == 1
    entry.refresh_from_db()
    assert entry.lifted_on is None


def test_anonymous_visitors_are_sent_to_log_in(client, profile):
    response = _add(client, profile)
    assert response.status_code == 302 and "login" in response["Location"]
    assert not NegativeListEntry.objects.exists()
