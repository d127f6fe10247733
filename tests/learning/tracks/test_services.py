"""Assigning tracks: who may assign to whom, clear refusals, scoped admin lists, and members
who join a subtree after its assignment."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from learning.models import TrackAssignment, TrackPage, TrackStep
from learning.tracks.selectors import tracks_for_member
from learning.tracks.services import track_assign
from portal.content.services import section_create
from portal.models import Role
from portal.registry.factories import MemberFactory
from tests.portal.content.helpers import material, publish


def _track(section, title="十一月学习包", slug=None):
    study = publish(section, material(f"{title}资料", slug=f"{slug or title}-m"))
    track = TrackPage(title=title, slug=slug or "track")
    track.steps = [TrackStep(kind=TrackStep.Kind.MATERIAL, page=study)]
    return publish(section, track, private=True)


@pytest.fixture
def sections(tree):
    return {
        "a": section_create(organization=tree.township_a),
        "b": section_create(organization=tree.township_b),
    }


@pytest.fixture
def track(sections):
    return _track(sections["a"], slug="track-a")


@pytest.fixture
def track_b(sections):
    return _track(sections["b"], "乙乡学习包", slug="track-b")


@pytest.fixture
def editor_a(tree, sections, user_with_role):
    return user_with_role(Role.EDITOR, tree.township_a, "editor_a")


def test_an_org_admin_assigns_within_their_subtree(tree, track_b, org_admin_a, members):
    """Org admins may assign any track, to organisations and members they keep."""
    assignment = track_assign(track=track_b, organization=tree.village_a1, user=org_admin_a)
    assert assignment.assigned_by == org_admin_a
    assert list(tracks_for_member(members.a1)) == [track_b]
    track_assign(track=track_b, member=members.a2, user=org_admin_a)
    assert list(tracks_for_member(members.a2)) == [track_b]


def test_an_org_admin_may_not_assign_outside_their_subtree(tree, track, org_admin_a, members):
    with pytest.raises(ValidationError) as error:
        track_assign(track=track, organization=tree.township_b, user=org_admin_a)
    assert list(error.value.message_dict) == ["organization"]
    with pytest.raises(ValidationError) as error:
        track_assign(track=track, member=members.b1, user=org_admin_a)
    assert list(error.value.message_dict) == ["member"]
    assert not TrackAssignment.objects.exists()


def test_section_editors_assign_their_tracks_within_the_section_subtree(
    tree, track, track_b, editor_a
):
    track_assign(track=track, organization=tree.village_a2, user=editor_a)
    with pytest.raises(ValidationError) as error:
        track_assign(track=track, organization=tree.village_b1, user=editor_a)
    assert list(error.value.message_dict) == ["organization"]
    with pytest.raises(ValidationError) as error:
        track_assign(track=track_b, organization=tree.village_a1, user=editor_a)
    assert list(error.value.message_dict) == ["track"]


def test_a_second_assignment_to_the_same_target_is_refused_clearly(tree, track, org_admin_a):
    track_assign(track=track, organization=tree.village_a1, user=org_admin_a)
    with pytest.raises(ValidationError) as error:
        track_assign(track=track, organization=tree.village_a1, user=org_admin_a)
    assert list(error.value.message_dict) == ["organization"]
    assert TrackAssignment.objects.count() == 1


def test_neither_or_both_targets_is_refused(tree, track, org_admin_a, members):
    with pytest.raises(ValidationError) as error:
        track_assign(track=track, user=org_admin_a)
    assert "organization" in error.value.message_dict
    with pytest.raises(ValidationError):
        track_assign(track=track, organization=tree.village_a1, member=members.a1, user=org_admin_a)
    assert not TrackAssignment.objects.exists()


def test_a_member_who_joins_the_subtree_later_has_the_track(tree, track, org_admin_a):
    track_assign(track=track, organization=tree.township_a, user=org_admin_a)
    newcomer = MemberFactory(name="新来党员", origin=tree.village_a2)
    assert list(tracks_for_member(newcomer)) == [track]
    elsewhere = MemberFactory(name="乙乡党员", origin=tree.village_b1)
    assert list(tracks_for_member(elsewhere)) == []


# --- The admin ------------------------------------------------------------------------


INDEX = "learning_assignment:index"


def test_the_admin_list_shows_only_assignments_in_scope(
    client, tree, track, track_b, org_admin_a, user_with_role
):
    county_admin = user_with_role(Role.ORG_ADMIN, tree.county, "county_admin")
    mine = track_assign(track=track, organization=tree.village_a1, user=org_admin_a)
    theirs = track_assign(track=track_b, organization=tree.village_b1, user=county_admin)
    client.force_login(org_admin_a)
    response = client.get(reverse(INDEX))
    assert response.status_code == 200
    listed = {row.pk for row in response.context["object_list"]}
    assert listed == {mine.pk}
    edit = reverse("learning_assignment:edit", args=[theirs.pk])
    assert client.get(edit).status_code == 404
    delete = reverse("learning_assignment:delete", args=[theirs.pk])
    assert client.post(delete).status_code == 404
    assert TrackAssignment.objects.filter(pk=theirs.pk).exists()


def test_the_admin_form_assigns_and_shows_refusals_on_the_field(
    client, tree, track, org_admin_a, members
):
    client.force_login(org_admin_a)
    add = reverse("learning_assignment:add")
    response = client.post(add, {"track": track.pk, "organization": tree.village_a1.pk})
    assert response.status_code == 302
    response = client.post(add, {"track": track.pk, "organization": tree.village_a1.pk})
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    response = client.post(add, {"track": track.pk, "member_phone": members.b1.phone})
    assert "member_phone" in response.context["form"].errors
    response = client.post(add, {"track": track.pk, "member_phone": members.a2.phone})
    assert response.status_code == 302
    assert TrackAssignment.objects.filter(track=track, member=members.a2).exists()
    assert TrackAssignment.objects.count() == 2


def test_members_and_recruiters_have_no_assignment_admin(client, tree, track, user_with_role):
    recruiter = user_with_role(Role.RECRUITER, tree.county, "recruiter")
    client.force_login(recruiter)
    response = client.get(reverse(INDEX))
    assert response.status_code in (302, 403)


def test_editing_an_assignment_replaces_it_within_the_scope(client, tree, track, org_admin_a):
    assignment = track_assign(track=track, organization=tree.village_a1, user=org_admin_a)
    client.force_login(org_admin_a)
    edit = reverse("learning_assignment:edit", args=[assignment.pk])
    assert client.get(edit).status_code == 200
    refused = client.post(edit, {"track": track.pk, "organization": tree.village_b1.pk})
    assert refused.status_code == 200
    assert TrackAssignment.objects.get().organization == tree.village_a1
    assert (
        client.post(edit, {"track": track.pk, "organization": tree.village_a2.pk}).status_code
        == 302
    )
    assert TrackAssignment.objects.get().organization == tree.village_a2
