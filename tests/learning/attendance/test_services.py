"""Offline attendance: the secretary ticks who came, those present get the step's credit once,
and nobody records attendance outside their own organisations."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.attendance.selectors import offline_steps_for
from learning.attendance.services import attendance_record
from learning.models import CreditEntry, OfflineAttendance, StepProgress, TrackStep
from portal.models import Role

from ..helpers import learning_setup


@pytest.fixture
def setup(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return learning_setup(tree.township_a)


@pytest.fixture
def step(setup):
    # By kind: the helper's steps carry no sort_order, so their order is the database's.
    return setup.track.steps.get(kind=TrackStep.Kind.OFFLINE)


def _attended(step) -> dict[int, bool]:
    return dict(OfflineAttendance.objects.filter(step=step).values_list("member_id", "attended"))


def test_those_present_are_credited_at_the_session_time(step, members, org_admin_a):
    completed = attendance_record(step=step, member_ids_present=[members.a1.pk], user=org_admin_a)
    assert completed == 1
    assert _attended(step) == {members.a1.pk: True, members.a2.pk: False}
    progress = StepProgress.objects.get(member=members.a1, step=step)
    assert progress.completed_at == step.session_starts_at
    assert progress.opened_at == step.session_starts_at
    entry = CreditEntry.objects.get(member=members.a1, source_key=f"step:{step.pk}")
    assert entry.activity == "offline"
    assert not StepProgress.objects.filter(member=members.a2).exists()


def test_saving_the_same_ticks_again_changes_nothing(step, members, org_admin_a):
    attendance_record(step=step, member_ids_present=[members.a1.pk], user=org_admin_a)
    again = attendance_record(step=step, member_ids_present=[members.a1.pk], user=org_admin_a)
    assert again == 0
    assert OfflineAttendance.objects.filter(step=step).count() == 2
    assert CreditEntry.objects.filter(member=members.a1).count() == 1


def test_unticking_after_credit_records_the_absence_but_keeps_the_credit(
    step, members, org_admin_a
):
    attendance_record(step=step, member_ids_present=[members.a1.pk], user=org_admin_a)
    attendance_record(step=step, member_ids_present=[], user=org_admin_a)
    assert _attended(step)[members.a1.pk] is False
    assert CreditEntry.objects.filter(member=members.a1, source_key=f"step:{step.pk}").exists()


def test_a_village_secretary_records_only_their_own_members(tree, step, members, user_with_role):
    secretary = user_with_role(Role.ORG_ADMIN, tree.village_a1, "secretary_a1")
    assert list(offline_steps_for(secretary)) == [step]
    with pytest.raises(ValidationError) as error:
        attendance_record(step=step, member_ids_present=[members.a2.pk], user=secretary)
    assert list(error.value.message_dict) == ["members"]
    assert not OfflineAttendance.objects.exists()
    attendance_record(step=step, member_ids_present=[members.a1.pk], user=secretary)
    assert _attended(step) == {members.a1.pk: True}


def test_a_member_without_the_track_cannot_be_ticked(tree, step, members, user_with_role):
    county_admin = user_with_role(Role.ORG_ADMIN, tree.county, "county_admin")
    with pytest.raises(ValidationError) as error:
        attendance_record(step=step, member_ids_present=[members.b1.pk], user=county_admin)
    assert list(error.value.message_dict) == ["members"]
    assert not CreditEntry.objects.exists()


def test_another_townships_secretary_has_no_such_session(tree, step, members, user_with_role):
    admin_b = user_with_role(Role.ORG_ADMIN, tree.township_b, "admin_b")
    assert list(offline_steps_for(admin_b)) == []
    with pytest.raises(ValidationError) as error:
        attendance_record(step=step, member_ids_present=[], user=admin_b)
    assert list(error.value.message_dict) == ["step"]


def test_a_session_still_to_come_cannot_be_recorded(step, members, org_admin_a):
    TrackStep.objects.filter(pk=step.pk).update(
        session_starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    step.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        attendance_record(step=step, member_ids_present=[members.a1.pk], user=org_admin_a)
    assert list(error.value.message_dict) == ["step"]
    assert not OfflineAttendance.objects.exists()


# --- The admin view -------------------------------------------------------------------


def test_the_secretary_sees_their_members_masked_and_saves_ticks(
    client, step, members, org_admin_a
):
    client.force_login(org_admin_a)
    assert client.get(reverse("learning_attendance:index")).status_code == 200
    url = reverse("learning_attendance:step", args=[step.pk])
    html = client.get(url).content.decode()
    assert members.a1.name in html and members.a2.name in html
    assert members.b1.name not in html
    assert members.a1.masked_phone in html and members.a1.phone not in html
    listed = [members.a1.pk, members.a2.pk]
    response = client.post(url, {"present": [members.a2.pk], "listed": listed})
    assert response.status_code == 302
    assert _attended(step) == {members.a1.pk: False, members.a2.pk: True}


def test_out_of_scope_sessions_are_not_found_and_others_are_refused(
    client, tree, step, user_with_role
):
    admin_b = user_with_role(Role.ORG_ADMIN, tree.township_b, "admin_b")
    client.force_login(admin_b)
    assert client.get(reverse("learning_attendance:step", args=[step.pk])).status_code == 404
    editor = user_with_role(Role.EDITOR, tree.township_a, "editor_a")
    client.force_login(editor)
    # Wagtail answers a refusal by sending the user back to the dashboard.
    assert client.get(reverse("learning_attendance:index")).status_code in (302, 403)


def test_before_the_session_the_sheet_says_when_and_offers_no_boxes(
    client, step, members, org_admin_a
):
    """Before its start time the page names it (local time) and shows no box to tick; a post
    anyway is refused and records nothing. Once begun, each listed member has a box."""
    starts = timezone.now() + datetime.timedelta(days=2)
    TrackStep.objects.filter(pk=step.pk).update(session_starts_at=starts)
    client.force_login(org_admin_a)
    url = reverse("learning_attendance:step", args=[step.pk])
    html = client.get(url).content.decode()
    assert 'type="checkbox"' not in html and "data-attendance-not-held" in html
    assert timezone.localtime(starts).strftime("%Y-%m-%d %H:%M") in html
    response = client.post(url, {"present": [members.a1.pk], "listed": [members.a1.pk]})
    assert response.status_code == 200
    assert _("The session has not taken place yet.") in response.content.decode()
    assert 'type="checkbox"' not in response.content.decode()
    assert not OfflineAttendance.objects.exists()

    TrackStep.objects.filter(pk=step.pk).update(
        session_starts_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    html = client.get(url).content.decode()
    assert html.count('type="checkbox"') == len(response.context["members"]) == 2
    assert "data-attendance-not-held" not in html
