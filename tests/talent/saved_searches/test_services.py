"""Saved searches: saving a desk search, and the check that tells the owner of new matches
once (a second run sends nothing), through the real "talent" index (database engine)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.models import Notification, Role
from portal.registry import services as portal_services
from talent.models import SavedSearch
from talent.saved_searches import tasks
from talent.saved_searches.selectors import desk_search_url, saved_searches_of
from talent.saved_searches.services import (
    saved_search_check,
    saved_search_create,
    saved_search_delete,
    saved_search_notify_set,
)
from talent.services import consent_record, consent_withdraw, profile_create, profile_update

from ..shortlist_helpers import make_people, make_profiles, reindex

pytestmark = pytest.mark.django_db
WILLING = {"willingness": ["yes"]}


@pytest.fixture
def people(tree, user_with_role):
    return make_people(tree, user_with_role)


@pytest.fixture
def profiles(tree):
    """甲一人才 is willing to return; 甲二人才 and 乙一人才 were not asked yet."""
    made = make_profiles(tree)
    profile_update(profile=made.a1, willingness="yes")
    reindex()
    return made


def _notifications(user):
    return list(Notification.objects.filter(recipient=user))


def test_saving_keeps_the_normalised_parameters_and_what_matches_now(people, profiles):
    saved = saved_search_create(
        user=people.recruiter_a,
        name=" 愿意返乡 ",
        params={"willingness": ["yes"], "q": [""], "page": ["3"], "sort": ["-age"]},
        notify=True,
    )
    assert saved.name == "愿意返乡"
    assert saved.params == {"sort": ["-age"], "willingness": ["yes"]}
    assert saved.seen_keys == [profiles.a1.pk]
    assert saved.last_checked_at is not None
    assert list(saved_searches_of(people.recruiter_a)) == [saved]
    assert not saved_searches_of(people.colleague_a).exists()


def test_bad_parameters_and_names_are_refused_in_chinese(people, profiles):
    with pytest.raises(ValidationError) as error:
        saved_search_create(user=people.recruiter_a, name="年龄", params={"age_min": ["abc"]})
    assert "age_min" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        saved_search_create(user=people.recruiter_a, name="  ", params=WILLING)
    assert error.value.message_dict["name"] == [_("Give the saved search a name.")]
    saved_search_create(user=people.recruiter_a, name="愿意", params=WILLING)
    with pytest.raises(ValidationError) as error:
        saved_search_create(user=people.recruiter_a, name="愿意", params={})
    assert error.value.message_dict["name"] == [_("You already have a saved search of this name.")]
    # Names are per owner: a colleague may use the same one.
    assert saved_search_create(user=people.colleague_a, name="愿意", params={}).pk
    assert SavedSearch.objects.count() == 2


def test_only_those_who_search_the_pool_save_searches(people, profiles):
    for user in (people.member, people.township_admin):
        with pytest.raises(PermissionDenied):
            saved_search_create(user=user, name="检索", params={})
    assert saved_search_create(user=people.county_admin, name="全县", params={}).seen_keys


def test_only_the_owner_deletes_or_toggles(people, profiles):
    saved = saved_search_create(user=people.recruiter_a, name="愿意", params=WILLING)
    with pytest.raises(PermissionDenied):
        saved_search_delete(user=people.colleague_a, saved_search=saved)
    with pytest.raises(PermissionDenied):
        saved_search_notify_set(user=people.colleague_a, saved_search=saved, notify=True)
    saved_search_delete(user=people.recruiter_a, saved_search=saved)
    assert not SavedSearch.objects.exists()


def test_a_new_match_is_notified_once(people, profiles, tree):
    """A profile created after the save that matches is news; the second run sends nothing."""
    saved = saved_search_create(
        user=people.recruiter_a, name="愿意返乡", params=WILLING, notify=True
    )
    assert saved_search_check(saved_search_id=saved.pk) == 0
    assert _notifications(people.recruiter_a) == []

    newcomer = profile_create(name="新来人才", hometown_village=tree.village_a2, willingness="yes")
    profile_create(name="不愿人才", hometown_village=tree.village_a2, willingness="no")
    profile_create(name="乙乡人才", hometown_village=tree.village_b1, willingness="yes")
    reindex()

    assert saved_search_check(saved_search_id=saved.pk) == 1
    [notification] = _notifications(people.recruiter_a)
    assert "1" in notification.title and "愿意返乡" in notification.title
    assert notification.url == desk_search_url(saved.params)
    assert notification.url.startswith(reverse("talent_desk:index"))
    assert "willingness=yes" in notification.url
    saved.refresh_from_db()
    assert set(saved.seen_keys) == {profiles.a1.pk, newcomer.pk}

    assert saved_search_check(saved_search_id=saved.pk) == 0
    assert len(_notifications(people.recruiter_a)) == 1
    # Nobody else is told.
    assert not Notification.objects.exclude(recipient=people.recruiter_a).exists()


def test_a_profile_that_comes_to_match_is_new_and_again_after_leaving(
    people, profiles, members, tree
):
    saved = saved_search_create(user=people.recruiter_a, name="愿意", params=WILLING, notify=True)
    profile_update(profile=profiles.a2, willingness="yes")
    reindex()
    assert saved_search_check(saved_search_id=saved.pk) == 1

    # A consenting member leaves the pool and comes back: told again, in a new notification.
    member_profile = consent_record(
        profile=profile_create(
            member=members.a1, hometown_village=tree.village_a1, willingness="yes"
        )
    )
    reindex()
    assert saved_search_check(saved_search_id=saved.pk) == 1
    consent_withdraw(profile=member_profile)
    reindex()
    assert saved_search_check(saved_search_id=saved.pk) == 0
    consent_record(profile=member_profile)
    reindex()
    assert saved_search_check(saved_search_id=saved.pk) == 1
    assert len(_notifications(people.recruiter_a)) == 3


def test_nothing_is_sent_with_notifications_off_or_without_the_role(people, profiles, tree):
    quiet = saved_search_create(user=people.recruiter_a, name="安静", params=WILLING)
    loud = saved_search_create(user=people.recruiter_b, name="乙乡", params={}, notify=True)
    profile_create(name="新人", hometown_village=tree.village_a1, willingness="yes")
    profile_create(name="乙新人", hometown_village=tree.village_b1)
    portal_services.role_revoke(
        user=people.recruiter_b, role=Role.RECRUITER, organization=tree.township_b, actor=None
    )
    reindex()
    assert saved_search_check(saved_search_id=quiet.pk) == 0
    assert saved_search_check(saved_search_id=loud.pk) == 0
    assert not Notification.objects.exists()


def test_turning_notifications_on_starts_from_what_matches_now(people, profiles, tree):
    saved = saved_search_create(user=people.recruiter_a, name="愿意", params=WILLING)
    later = profile_create(name="后来人才", hometown_village=tree.village_a1, willingness="yes")
    reindex()
    saved = saved_search_notify_set(user=people.recruiter_a, saved_search=saved, notify=True)
    assert saved.notify and later.pk in saved.seen_keys
    assert saved_search_check(saved_search_id=saved.pk) == 0
    saved = saved_search_notify_set(user=people.recruiter_a, saved_search=saved, notify=False)
    assert not SavedSearch.objects.get(pk=saved.pk).notify


def test_the_daily_task_enqueues_one_check_per_search_on_commit(
    people, profiles, tree, django_capture_on_commit_callbacks
):
    on = saved_search_create(user=people.recruiter_a, name="愿意", params=WILLING, notify=True)
    saved_search_create(user=people.colleague_a, name="不通知", params=WILLING)
    gone = saved_search_create(user=people.recruiter_b, name="停用", params={}, notify=True)
    gone.owner.is_active = False
    gone.owner.save(update_fields=["is_active"])
    profile_create(name="新来人才", hometown_village=tree.village_a2, willingness="yes")
    reindex()

    with django_capture_on_commit_callbacks() as callbacks:
        assert tasks.saved_searches_notify() == 1
    assert len(callbacks) == 1
    assert not Notification.objects.exists()  # nothing runs before the commit
    for callback in callbacks:
        callback()
    assert [n.recipient for n in Notification.objects.all()] == [on.owner]
    # The next morning: nothing new, nothing sent.
    with django_capture_on_commit_callbacks(execute=True):
        tasks.saved_searches_notify()
    assert Notification.objects.count() == 1
