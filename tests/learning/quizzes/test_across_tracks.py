"""One quiz in several tracks (ADR 0013): a pass counts for every step that takes the quiz
in the member's tracks, at once for the tracks they have and on the first visit for tracks
assigned later, with credit once per step and track; the page of a satisfied step is never
a dead end."""

import re

import pytest
from django.test import TestCase
from django.urls import reverse

from learning.models import (
    CreditEntry,
    QuizAttempt,
    StepProgress,
    TrackAssignment,
    TrackCompletion,
    TrackPage,
    TrackStep,
)
from learning.quizzes.services import quiz_attempt_start, quiz_attempt_submit, quiz_step_satisfy
from learning.tracks.services import monthly_pack_create
from tests.portal.content.helpers import publish

from ..helpers import steps_by_kind
from ..quiz_helpers import (
    complete_step,
    member_login,
    ordered_setup,
    right_answers,
    wrong_answers,
)


@pytest.fixture
def setup(tree):
    return ordered_setup(tree.township_a)


def _track(setup, organization, title, **fields) -> TrackPage:
    """A published track on the setup's material and quiz, assigned to the organisation."""
    track = TrackPage(title=title, **fields)
    track.steps = [
        TrackStep(kind=TrackStep.Kind.MATERIAL, page=setup.study, sort_order=0),
        TrackStep(kind=TrackStep.Kind.QUIZ, page=setup.quiz, sort_order=1),
        TrackStep(kind=TrackStep.Kind.LECTURE, page=setup.lecture, sort_order=2, required=False),
    ]
    publish(setup.section, track, private=True)
    TrackAssignment.objects.create(track=track, organization=organization)
    return track


def _pass(member, step):
    with TestCase.captureOnCommitCallbacks(execute=True):
        attempt = quiz_attempt_start(member=member, step=step)
        return quiz_attempt_submit(attempt=attempt, answers=right_answers(attempt))


def _quiz_url(step):
    return reverse("learning:quiz", kwargs={"track_id": step.track_id, "step_id": step.pk})


def _done(member, step) -> bool:
    return StepProgress.objects.filter(
        member=member, step=step, completed_at__isnull=False
    ).exists()


def _credit_keys(member) -> list[str]:
    return sorted(CreditEntry.objects.filter(member=member).values_list("source_key", flat=True))


def test_a_pass_completes_the_quiz_step_of_every_track_the_member_has(setup, members, tree):
    """Passed in the monthly pack: the reserve-cadre track's quiz step is done at once and,
    its material read, that track completes with its hours; a track the member does not have
    is left alone."""
    reserve = _track(setup, tree.township_a, "村级后备干部培训", study_hours="8.0", points=40)
    elsewhere = _track(setup, tree.township_b, "乙乡学习")
    reserve_steps = steps_by_kind(reserve)
    complete_step(members.a1, reserve_steps.material)
    _pass(members.a1, setup.steps.quiz)
    assert _done(members.a1, setup.steps.quiz) and _done(members.a1, reserve_steps.quiz)
    assert not _done(members.a1, steps_by_kind(elsewhere).quiz)
    completion = TrackCompletion.objects.get(member=members.a1, track=reserve)
    assert completion.study_hours == 8
    assert _credit_keys(members.a1) == sorted(
        [
            f"step:{reserve_steps.material.pk}",
            f"step:{reserve_steps.quiz.pk}",
            f"step:{setup.steps.quiz.pk}",
            f"track:{reserve.pk}",
        ]
    )


def test_a_track_assigned_after_the_pass_counts_it_on_the_first_visit(client, setup, members, tree):
    """The quiz page of the satisfied step says so and points to the next step, with no
    start button; visiting again credits nothing more."""
    _pass(members.a1, setup.steps.quiz)
    reserve = _track(setup, tree.township_a, "村级后备干部培训", study_hours="8.0", points=40)
    quiz_step = steps_by_kind(reserve).quiz
    assert not _done(members.a1, quiz_step)
    member_login(client, members.a1)
    html = client.get(_quiz_url(quiz_step)).content.decode()
    assert 'id="step-done"' in html and 'id="quiz-start"' not in html
    assert f'id="next-step" href="{steps_by_kind(reserve).lecture.get_url()}"' in html
    assert _done(members.a1, quiz_step)
    credits = _credit_keys(members.a1)
    assert f"step:{quiz_step.pk}" in credits
    client.get(_quiz_url(quiz_step))
    assert _credit_keys(members.a1) == credits
    assert QuizAttempt.objects.filter(member=members.a1).count() == 1


def _states(html: str) -> dict[int, str]:
    return {int(pk): state for pk, state in re.findall(r'id="step-(\d+)" data-state="(\w+)"', html)}


def test_a_track_assigned_after_the_pass_shows_it_done_and_completes_with_its_other_steps(
    client, setup, members, tree
):
    """Passed in track A; track B, assigned afterwards, takes the same quiz. B's page shows
    the quiz step done before the member opens it, and B completes, with its hours and the
    quiz step's points, as soon as its material is read: the quiz step is never visited."""
    _pass(members.a1, setup.steps.quiz)
    reserve = _track(setup, tree.township_a, "村级后备干部培训", study_hours="8.0", points=40)
    b = steps_by_kind(reserve)
    member_login(client, members.a1)
    states = _states(client.get(reserve.url).content.decode())
    assert (states[b.material.pk], states[b.quiz.pk], states[b.lecture.pk]) == (
        "todo",
        "done",
        "todo",
    )
    assert not TrackCompletion.objects.filter(member=members.a1, track=reserve).exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        complete_step(members.a1, b.material)
    completion = TrackCompletion.objects.get(member=members.a1, track=reserve)
    assert completion.study_hours == 8
    assert _done(members.a1, b.quiz)
    keys = _credit_keys(members.a1)
    for key in (f"step:{b.material.pk}", f"step:{b.quiz.pk}", f"track:{reserve.pk}"):
        assert keys.count(key) == 1
    html = client.get(reserve.url).content.decode()
    assert 'id="track-done"' in html and _states(html)[b.quiz.pk] == "done"
    client.get(_quiz_url(b.quiz))  # opening the quiz step now credits nothing more
    assert _credit_keys(members.a1) == keys
    assert QuizAttempt.objects.filter(member=members.a1).count() == 1


def test_a_quiz_tried_but_not_passed_shows_in_progress_in_another_track(
    client, setup, members, tree
):
    attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    with TestCase.captureOnCommitCallbacks(execute=True):
        quiz_attempt_submit(attempt=attempt, answers=wrong_answers(attempt))
    reserve = _track(setup, tree.township_a, "村级后备干部培训")
    b = steps_by_kind(reserve)
    member_login(client, members.a1)
    assert _states(client.get(reserve.url).content.decode())[b.quiz.pk] == "doing"
    complete_step(members.a1, b.material)
    assert not _done(members.a1, b.quiz)
    assert not TrackCompletion.objects.filter(member=members.a1, track=reserve).exists()


def test_each_month_of_a_template_takes_the_pass_once(setup, members, tree):
    """January's and February's packs, copied from one template, both take the quiz: the
    pass in January completes January's step; February's completes when the member opens it
    in February, and completes that pack with its hours, once however often it is opened."""
    template = _track(setup, tree.township_a, "一月一课一片一实践", is_template=True)
    january = monthly_pack_create(template=template, year=2027, month=1)
    january.save_revision().publish()
    _pass(members.a1, steps_by_kind(january).quiz)
    february = monthly_pack_create(template=template, year=2027, month=2)
    february.save_revision().publish()
    feb = steps_by_kind(february)
    assert not _done(members.a1, feb.quiz)
    complete_step(members.a1, feb.material)
    for _visit in range(2):
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert quiz_step_satisfy(member=members.a1, step=feb.quiz)
    assert _done(members.a1, feb.quiz)
    assert not _done(members.a1, steps_by_kind(template).quiz)  # a template is nobody's track
    keys = _credit_keys(members.a1)
    for key in (f"step:{steps_by_kind(january).quiz.pk}", f"step:{feb.quiz.pk}"):
        assert keys.count(key) == 1
    assert keys.count(f"track:{february.pk}") == 1
    assert TrackCompletion.objects.filter(member=members.a1, track=february).count() == 1


def test_without_a_pass_the_other_tracks_quiz_step_waits(client, setup, members, tree):
    reserve = _track(setup, tree.township_a, "村级后备干部培训")
    quiz_step = steps_by_kind(reserve).quiz
    attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    assert not quiz_step_satisfy(member=members.a1, step=quiz_step)
    member_login(client, members.a1)
    html = client.get(_quiz_url(quiz_step)).content.decode()
    assert f'value="{attempt.pk}"' in html  # the attempt under way, resumed here
    assert not _done(members.a1, quiz_step)
