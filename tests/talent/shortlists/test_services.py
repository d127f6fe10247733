"""Shortlist services and selectors: a department's recruiters share and edit its shortlists,
county org admins only read them, nobody else sees any; candidates must be visible profiles."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from portal.models import Role
from talent.models import Shortlist, ShortlistEntry
from talent.services import consent_record, consent_withdraw, profile_create
from talent.shortlists.selectors import (
    can_edit_shortlist,
    can_use_shortlists,
    recruiting_departments,
    shortlist_entries_for,
    shortlists_visible_to,
)
from talent.shortlists.services import (
    shortlist_create,
    shortlist_delete,
    shortlist_entries_add,
    shortlist_entries_remove,
    shortlist_entry_note_set,
    shortlist_rename,
)

from ..shortlist_helpers import make_people, make_profiles

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree, user_with_role):
    return make_people(tree, user_with_role)


@pytest.fixture
def profiles(tree):
    return make_profiles(tree)


def _message(error, field) -> str:
    return error.value.message_dict[field][0]


def test_a_shortlist_belongs_to_the_recruiters_department(people, tree):
    shortlist = shortlist_create(user=people.recruiter_a, name="  甲镇两委候选  ")
    assert shortlist.name == "甲镇两委候选"
    assert shortlist.organization == tree.township_a
    assert shortlist.created_by == people.recruiter_a


def test_colleagues_of_the_department_see_and_edit_it(people, profiles):
    """Sharing: what one recruiter creates, the other recruiter of the department changes."""
    shortlist = shortlist_create(user=people.recruiter_a, name="名单")
    assert list(shortlists_visible_to(people.colleague_a)) == [shortlist]
    assert can_edit_shortlist(people.colleague_a, shortlist)
    assert (
        shortlist_entries_add(
            user=people.colleague_a, shortlist=shortlist, profile_ids=[profiles.a1.pk]
        )
        == 1
    )
    shortlist_rename(user=people.colleague_a, shortlist=shortlist, name="新名单")
    shortlist.refresh_from_db()
    assert shortlist.name == "新名单"
    assert [e.profile for e in shortlist_entries_for(people.recruiter_a, shortlist)] == [
        profiles.a1
    ]


def test_other_departments_and_roles_neither_see_nor_edit(people, profiles):
    shortlist = shortlist_create(user=people.recruiter_a, name="名单")
    for user in (people.recruiter_b, people.township_admin, people.member):
        assert not shortlists_visible_to(user).exists()
        assert not can_edit_shortlist(user, shortlist)
        with pytest.raises(PermissionDenied):
            shortlist_rename(user=user, shortlist=shortlist, name="改名")
        with pytest.raises(PermissionDenied):
            shortlist_delete(user=user, shortlist=shortlist)
    assert Shortlist.objects.filter(pk=shortlist.pk, name="名单").exists()


def test_a_county_org_admin_reads_every_shortlist_but_changes_none(people, profiles):
    a = shortlist_create(user=people.recruiter_a, name="甲")
    b = shortlist_create(user=people.recruiter_b, name="乙")
    assert set(shortlists_visible_to(people.county_admin)) == {a, b}
    assert can_use_shortlists(people.county_admin)
    with pytest.raises(PermissionDenied):
        shortlist_entries_add(user=people.county_admin, shortlist=a, profile_ids=[profiles.a1.pk])
    with pytest.raises(PermissionDenied):
        shortlist_create(user=people.county_admin, name="县里")


def test_only_recruiters_and_county_admins_use_shortlists(people, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert can_use_shortlists(people.recruiter_a)
    assert not can_use_shortlists(people.member)
    assert not can_use_shortlists(people.township_admin)
    assert not can_use_shortlists(AnonymousUser())
    assert not recruiting_departments(AnonymousUser()).exists()


def test_an_empty_or_taken_name_is_refused_in_chinese(people):
    with pytest.raises(ValidationError) as error:
        shortlist_create(user=people.recruiter_a, name="   ")
    assert _message(error, "name") == _("Give the shortlist a name.")
    shortlist_create(user=people.recruiter_a, name="名单")
    with pytest.raises(ValidationError) as error:
        shortlist_create(user=people.colleague_a, name="名单")
    assert _message(error, "name") == _("The department already has a shortlist of this name.")
    # Another department may use the same name.
    assert shortlist_create(user=people.recruiter_b, name="名单").name == "名单"


def test_renaming_onto_a_taken_name_is_refused(people):
    shortlist_create(user=people.recruiter_a, name="一")
    second = shortlist_create(user=people.recruiter_a, name="二")
    with pytest.raises(ValidationError) as error:
        shortlist_rename(user=people.recruiter_a, shortlist=second, name="一")
    assert "name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        shortlist_rename(user=people.recruiter_a, shortlist=second, name="长" * 101)
    assert "name" in error.value.message_dict
    second.refresh_from_db()
    assert second.name == "二"


def test_a_recruiter_of_two_departments_chooses_one(people, tree, user_with_role):
    user = user_with_role(Role.RECRUITER, tree.township_a, "two_hats")
    user_with_role(Role.RECRUITER, tree.township_b, "two_hats")
    with pytest.raises(ValidationError) as error:
        shortlist_create(user=user, name="名单")
    assert _message(error, "organization") == _(
        "Choose the recruiting department the shortlist is for."
    )
    assert shortlist_create(user=user, name="名单", organization=tree.township_b).organization == (
        tree.township_b
    )
    with pytest.raises(ValidationError) as error:
        shortlist_create(user=people.recruiter_a, name="名单", organization=tree.township_b)
    assert "organization" in error.value.message_dict


def test_a_profile_the_recruiter_cannot_see_is_refused_and_nothing_is_added(people, profiles):
    """All or nothing: one invisible profile (another township's) keeps the rest off too."""
    shortlist = shortlist_create(user=people.recruiter_a, name="名单")
    with pytest.raises(ValidationError) as error:
        shortlist_entries_add(
            user=people.recruiter_a,
            shortlist=shortlist,
            profile_ids=[profiles.a1.pk, profiles.b1.pk],
        )
    assert _message(error, "profiles") == _(
        "Some of the chosen people are not in the pool you may search."
    )
    assert not shortlist.entries.exists()


def test_bad_or_missing_profile_ids_are_refused(people):
    shortlist = shortlist_create(user=people.recruiter_a, name="名单")
    for ids, message in (
        ([], "Choose at least one person."),
        (["x"], "The chosen people are not valid."),
        ([999999], "Some of the chosen people are not in the pool you may search."),
    ):
        with pytest.raises(ValidationError) as error:
            shortlist_entries_add(user=people.recruiter_a, shortlist=shortlist, profile_ids=ids)
        assert _message(error, "profiles") == _(message)


def test_adding_twice_keeps_one_entry_and_counts_only_new_ones(people, profiles):
    shortlist = shortlist_create(user=people.recruiter_a, name="名单")
    ids = [profiles.a1.pk, profiles.a2.pk]
    assert shortlist_entries_add(user=people.recruiter_a, shortlist=shortlist, profile_ids=ids) == 2
    assert (
        shortlist_entries_add(
            user=people.colleague_a, shortlist=shortlist, profile_ids=[str(profiles.a1.pk)]
        )
        == 0
    )
    assert ShortlistEntry.objects.filter(shortlist=shortlist).count() == 2
    entry = shortlist.entries.get(profile=profiles.a1)
    assert entry.added_by == people.recruiter_a


def test_removing_takes_people_off(people, profiles):
    shortlist = shortlist_create(user=people.recruiter_a, name="名单")
    shortlist_entries_add(
        user=people.recruiter_a, shortlist=shortlist, profile_ids=[profiles.a1.pk, profiles.a2.pk]
    )
    assert (
        shortlist_entries_remove(
            user=people.colleague_a, shortlist=shortlist, profile_ids=[profiles.a1.pk]
        )
        == 1
    )
    assert [e.profile for e in shortlist.entries.all()] == [profiles.a2]
    with pytest.raises(PermissionDenied):
        shortlist_entries_remove(
            user=people.recruiter_b, shortlist=shortlist, profile_ids=[profiles.a2.pk]
        )


def test_a_note_is_kept_and_a_long_one_refused(people, profiles):
    shortlist = shortlist_create(user=people.recruiter_a, name="名单")
    shortlist_entries_add(
        user=people.recruiter_a, shortlist=shortlist, profile_ids=[profiles.a1.pk]
    )
    entry = shortlist.entries.get()
    shortlist_entry_note_set(user=people.colleague_a, entry=entry, note=" 已电话沟通 ")
    entry.refresh_from_db()
    assert entry.note == "已电话沟通"
    with pytest.raises(ValidationError) as error:
        shortlist_entry_note_set(user=people.colleague_a, entry=entry, note="长" * 1001)
    assert "note" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        shortlist_entry_note_set(user=people.recruiter_b, entry=entry, note="x")
    entry.refresh_from_db()
    assert entry.note == "已电话沟通"


def test_someone_who_leaves_the_pool_is_no_longer_shown(people, members, tree):
    """A member who withdraws consent stays on the list but disappears from it for everyone."""
    profile = consent_record(
        profile=profile_create(member=members.a1, hometown_village=tree.village_a1)
    )
    shortlist = shortlist_create(user=people.recruiter_a, name="名单")
    shortlist_entries_add(user=people.recruiter_a, shortlist=shortlist, profile_ids=[profile.pk])
    assert shortlist_entries_for(people.colleague_a, shortlist).count() == 1
    assert shortlists_visible_to(people.colleague_a).get().entry_count == 1
    consent_withdraw(profile=profile)
    assert not shortlist_entries_for(people.colleague_a, shortlist).exists()
    assert shortlists_visible_to(people.colleague_a).get().entry_count == 0
    assert not shortlist_entries_for(people.county_admin, shortlist).exists()


def test_deleting_a_shortlist_removes_its_entries(people, profiles):
    shortlist = shortlist_create(user=people.recruiter_a, name="名单")
    shortlist_entries_add(
        user=people.recruiter_a, shortlist=shortlist, profile_ids=[profiles.a1.pk]
    )
    shortlist_delete(user=people.colleague_a, shortlist=shortlist)
    assert not Shortlist.objects.exists()
    assert not ShortlistEntry.objects.exists()
