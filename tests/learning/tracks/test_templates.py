"""A monthly template is for copying: it reaches no member, is assigned to no one and earns
nothing, even when it is live and was assigned before the rule (issue 12: a member completed
the template itself and got 2 h, 20 points and a certificate)."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning.attendance.selectors import offline_steps_for
from learning.credit.services import credit_grant
from learning.models import (
    Certificate,
    CreditEntry,
    StepProgress,
    TrackAssignment,
    TrackCompletion,
    TrackPage,
)
from learning.progress.selectors import step_facts
from learning.tracks.selectors import tracks_for_member
from learning.tracks.services import monthly_pack_create, track_assign
from portal.models import Role

from ..helpers import learning_setup
from ..quiz_helpers import complete_step, member_login

API = "/api/v1/learning/progress"


@pytest.fixture
def setup(tree):
    """The issue's track: live, assigned to township A, then ticked as a template."""
    setup = learning_setup(tree.township_a)
    setup.track.is_template = True
    setup.track.save_revision().publish()
    return setup


@pytest.fixture
def editor_a(tree, setup, user_with_role):
    return user_with_role(Role.EDITOR, tree.township_a, "editor_a")


def _heartbeats(step, count: int) -> list[dict]:
    return [
        {"id": str(uuid.uuid4()), "step": step.pk, "kind": "heartbeat", "seconds": 15}
        for _ in range(count)
    ]


# --- Not visible to members -------------------------------------------------------------


def test_a_template_is_not_among_a_members_tracks_though_it_was_assigned(setup, members):
    assert TrackAssignment.objects.filter(track=setup.track).exists()
    assert list(tracks_for_member(members.a1)) == []
    client = Client()
    member_login(client, members.a1)
    record = client.get(reverse("learning:record")).content.decode()
    assert setup.track.title not in record


def test_a_templates_page_and_its_steps_are_404_to_a_member(client, setup, members):
    member_login(client, members.a1)
    assert client.get(setup.track.url).status_code == 404
    assert client.get(setup.steps.material.get_url()).status_code == 404
    assert client.get(setup.steps.quiz.get_url()).status_code == 404
    assert not StepProgress.objects.exists()


def test_the_quiz_page_does_not_offer_the_templates_step(client, setup, members):
    member_login(client, members.a1)
    html = client.get(setup.quiz.url).content.decode()
    assert setup.steps.quiz.get_url() not in html


def test_its_editor_still_sees_the_template_and_edits_it(client, setup, editor_a):
    client.force_login(editor_a)
    assert client.get(setup.track.url).status_code == 200
    edit = reverse("wagtailadmin_pages:edit", args=[setup.track.pk])
    assert client.get(edit).status_code == 200


# --- Not assignable ---------------------------------------------------------------------


def test_the_assignment_service_refuses_a_template_naming_the_track(setup, tree, org_admin_a):
    with pytest.raises(ValidationError) as refused:
        track_assign(track=setup.track, organization=tree.village_a1, user=org_admin_a)
    assert list(refused.value.message_dict) == ["track"]
    assert "每月模板" in refused.value.message_dict["track"][0]
    assert TrackAssignment.objects.filter(track=setup.track).count() == 1  # the old one only


def test_the_admin_form_neither_offers_nor_takes_a_template(client, setup, tree, org_admin_a):
    client.force_login(org_admin_a)
    add = reverse("learning_assignment:add")
    offered = client.get(add).context["form"].fields["track"].queryset
    assert setup.track not in offered
    response = client.post(add, {"track": setup.track.pk, "organization": tree.village_a1.pk})
    assert response.status_code == 200
    assert "track" in response.context["form"].errors
    assert not TrackAssignment.objects.filter(organization=tree.village_a1).exists()


def test_a_templates_offline_session_is_not_offered_for_attendance(setup, org_admin_a):
    assert setup.steps.offline not in offline_steps_for(org_admin_a)
    setup.track.is_template = False
    setup.track.save_revision().publish()
    assert setup.steps.offline in offline_steps_for(org_admin_a)


# --- Never credited ---------------------------------------------------------------------


def test_progress_events_on_a_templates_step_are_refused(setup, members):
    """The attack: a member who knows a template step's number posts reading time to it."""
    client = Client()
    member_login(client, members.a1)
    response = client.post(
        API,
        {"events": _heartbeats(setup.steps.material, 8)},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert {r["outcome"] for r in response.json()["results"]} == {"refused"}
    assert step_facts(members.a1, setup.steps.material.pk)["assigned"] is False
    assert not StepProgress.objects.exists()
    assert not CreditEntry.objects.exists()


def test_completing_a_templates_steps_by_any_path_credits_nothing(setup, members):
    """Around the API (a bug, a script): the steps are marked done, but the database takes
    no completion, no credit and so makes no certificate."""
    with transaction.atomic():
        for step in (setup.steps.material, setup.steps.lecture, setup.steps.quiz):
            complete_step(members.a1, step)
    assert StepProgress.objects.filter(completed_at__isnull=False).count() == 3
    assert not TrackCompletion.objects.exists()
    assert not CreditEntry.objects.exists()
    assert not Certificate.objects.exists()


def test_the_database_refuses_a_completion_or_a_credit_for_a_template(setup, members):
    with pytest.raises(IntegrityError), transaction.atomic():
        TrackCompletion.objects.create(
            member=members.a1,
            track=setup.track,
            track_title=setup.track.title,
            track_kind=setup.track.kind,
            study_hours=setup.track.study_hours,
            points=setup.track.points,
            completed_at=timezone.now(),
        )
    for source in (CreditEntry.Source.TRACK, CreditEntry.Source.STEP):
        entry = credit_grant(
            member_id=members.a1.pk,
            source=source,
            source_key=f"{source}:{setup.track.pk}",
            occurred_on=timezone.localdate(),
            hours=setup.track.study_hours,
            points=20,
            track_id=setup.track.pk,
        )
        assert entry is None
    assert not CreditEntry.objects.exists()


def test_credit_a_track_earned_before_it_became_a_template_can_be_reversed(tree, members):
    """Corrections stay possible: the ledger can take back what the template gave."""
    setup = learning_setup(tree.township_a)
    complete_step(members.a1, setup.steps.material)
    granted = CreditEntry.objects.get()
    setup.track.is_template = True
    setup.track.save_revision().publish()
    reversal = credit_grant(
        member_id=members.a1.pk,
        source=CreditEntry.Source.REVERSAL,
        source_key=f"reversal:{granted.pk}",
        occurred_on=timezone.localdate(),
        points=-granted.points,
        track_id=setup.track.pk,
        reverses=granted,
        reason="模板不计学分",
    )
    assert reversal is not None


# --- Copies are tracks to take ----------------------------------------------------------


def test_a_monthly_pack_made_from_the_template_is_a_normal_track(setup, members):
    pack = monthly_pack_create(template=setup.track, year=2026, month=12)
    assert not pack.is_template
    pack.save_revision().publish()
    assert list(tracks_for_member(members.a1)) == [pack]  # the template's old assignment
    material = pack.steps.get(kind="material")
    assert step_facts(members.a1, material.pk)["assigned"] is True
    with transaction.atomic():
        complete_step(members.a1, material)
    assert CreditEntry.objects.filter(member=members.a1, track=pack).count() == 1


def test_next_months_pack_takes_the_assignments_of_this_months(setup, tree, org_admin_a):
    TrackAssignment.objects.filter(track=setup.track).delete()
    december = monthly_pack_create(template=setup.track, year=2026, month=12)
    assert not december.assignments.exists()
    track_assign(track=december, organization=tree.village_a2, user=org_admin_a)
    january = monthly_pack_create(template=setup.track, year=2027, month=1)
    assert list(january.assignments.values_list("organization", flat=True)) == [tree.village_a2.pk]


def test_a_copy_made_in_the_admin_is_no_template(setup):
    copy = setup.track.copy(
        update_attrs={"slug": "copy", "title": "副本"}, keep_live=False
    ).specific
    assert isinstance(copy, TrackPage) and not copy.is_template
    assert setup.track.specific.is_template
