import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.http import Http404

from learning.models import CreditEntry, QuizAttempt, StepProgress, TrackCompletion
from learning.quizzes.selectors import attempt_questions, attempts_left
from learning.quizzes.services import (
    quiz_attempt_draw,
    quiz_attempt_start,
    quiz_attempt_submit,
)

from ..quiz_helpers import complete_step, ordered_setup, right_answers


@pytest.fixture
def setup(tree):
    return ordered_setup(tree.township_a)


def _set_rules(quiz, **rules):
    for name, value in rules.items():
        setattr(quiz, name, value)
    quiz.save()


def _answers_with(attempt, kind, answer):
    """Right answers but for the first question of ``kind``, answered with ``answer``: a
    list of values, or a function of the question (the choices are shuffled per attempt, so
    a value alone says nothing about which choice it is)."""
    answers = right_answers(attempt)
    question = next(q for q in attempt_questions(attempt) if q.kind == kind)
    answers[question.id] = answer(question) if callable(answer) else answer
    return answers, question.id


def _a_wrong_choice(question):
    return [next(c.value for c in question.choices if not c.correct)]


def _one_right_choice(question):
    return [next(c.value for c in question.choices if c.correct)]


def _every_choice(question):
    return [c.value for c in question.choices]


def _by_text(text):
    return lambda question: [c.value for c in question.choices if c.text == text]


def test_an_attempt_draws_the_configured_number_of_questions_at_random(setup, members):
    """draw_count questions, all from the bank, no question twice; different draws happen."""
    _set_rules(setup.quiz, draw_count=2)
    bank = {child.id for child in setup.quiz.questions}
    attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    assert len(attempt.question_ids) == 2
    assert len(set(attempt.question_ids)) == 2
    assert set(attempt.question_ids) <= bank
    draws = {tuple(sorted(quiz_attempt_draw(setup.quiz))) for _ in range(40)}
    assert len(draws) > 1


def test_draw_count_zero_asks_every_question(setup, members):
    attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    assert sorted(attempt.question_ids) == sorted(child.id for child in setup.quiz.questions)


def test_an_unfinished_attempt_is_resumed_not_started_again(setup, members):
    first = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    again = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    assert again.pk == first.pk
    assert again.question_ids == first.question_ids
    assert QuizAttempt.objects.filter(member=members.a1).count() == 1


def test_all_right_passes_with_full_marks_and_completes_the_step(setup, members):
    attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    attempt = quiz_attempt_submit(attempt=attempt, answers=right_answers(attempt))
    assert (attempt.score, attempt.passed) == (100, True)
    progress = StepProgress.objects.get(member=members.a1, step=setup.steps.quiz)
    assert progress.completed_at is not None
    assert CreditEntry.objects.filter(member=members.a1, source_key=f"step:{setup.steps.quiz.pk}")


@pytest.mark.parametrize(
    ("kind", "wrong"),
    [
        ("single", _a_wrong_choice),
        # Multiple choice needs exactly the right set: one right answer of two is wrong,
        # and so are both right answers plus a wrong one.
        ("multiple", _one_right_choice),
        ("multiple", _every_choice),
        ("true_false", ["false"]),
    ],
)
def test_each_kind_of_question_is_scored(setup, members, kind, wrong):
    """One wrong answer of three: 67%, a pass at 60% and a fail at 70%."""
    attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    answers, question_id = _answers_with(attempt, kind, wrong)
    _set_rules(setup.quiz, pass_mark=70)
    attempt = quiz_attempt_submit(attempt=attempt, answers=answers)
    assert (attempt.score, attempt.passed) == (67, False)
    feedback = {q.id: q for q in attempt_questions(attempt)}
    assert not feedback[question_id].is_right
    assert sum(q.is_right for q in feedback.values()) == 2
    assert not StepProgress.objects.filter(member=members.a1, completed_at__isnull=False)


def test_a_score_at_the_pass_mark_passes(setup, members):
    attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    answers, _id = _answers_with(attempt, "single", _a_wrong_choice)
    _set_rules(setup.quiz, pass_mark=67)
    assert quiz_attempt_submit(attempt=attempt, answers=answers).passed


def test_a_submitted_attempt_keeps_the_key_the_chosen_answers_and_the_explanations(setup, members):
    attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    answers, question_id = _answers_with(attempt, "single", _by_text("六项"))
    quiz_attempt_submit(attempt=attempt, answers=answers)
    attempt.refresh_from_db()
    single = next(q for q in attempt_questions(attempt) if q.id == question_id)
    assert [c.text for c in single.choices if c.correct] == ["八项"]
    assert [c.text for c in single.choices if c.chosen] == ["六项"]
    assert single.explanation.startswith("党章第三条")


def test_every_question_must_be_answered_and_nothing_is_saved_otherwise(setup, members):
    attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    answers, question_id = _answers_with(attempt, "multiple", [])
    with pytest.raises(ValidationError) as error:
        quiz_attempt_submit(attempt=attempt, answers=answers)
    assert list(error.value.message_dict) == [question_id]
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.answers == {}


def test_an_answer_outside_the_choices_is_refused(setup, members):
    attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    answers, question_id = _answers_with(attempt, "single", ["0", "1"])
    with pytest.raises(ValidationError) as error:
        quiz_attempt_submit(attempt=attempt, answers=answers)
    assert list(error.value.message_dict) == [question_id]


def test_an_attempt_is_scored_once(setup, members):
    attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    quiz_attempt_submit(attempt=attempt, answers=right_answers(attempt))
    with pytest.raises(ValidationError):
        quiz_attempt_submit(attempt=attempt, answers=right_answers(attempt))


def test_the_attempt_limit_is_kept(setup, members):
    _set_rules(setup.quiz, attempt_limit=2, pass_mark=100)
    for left in (1, 0):
        attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
        answers, _id = _answers_with(attempt, "true_false", ["false"])
        quiz_attempt_submit(attempt=attempt, answers=answers)
        assert attempts_left(member=members.a1, quiz=setup.quiz) == left
    with pytest.raises(ValidationError):
        quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    assert QuizAttempt.objects.filter(member=members.a1).count() == 2


def test_no_limit_means_any_number_of_attempts(setup, members):
    _set_rules(setup.quiz, attempt_limit=0, pass_mark=100)
    for _ in range(4):
        attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
        answers, _id = _answers_with(attempt, "single", _a_wrong_choice)
        quiz_attempt_submit(attempt=attempt, answers=answers)
    assert attempts_left(member=members.a1, quiz=setup.quiz) is None
    assert [a.number for a in QuizAttempt.objects.order_by("number")] == [1, 2, 3, 4]


def test_a_passed_quiz_cannot_be_taken_again(setup, members):
    attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    quiz_attempt_submit(attempt=attempt, answers=right_answers(attempt))
    with pytest.raises(ValidationError):
        quiz_attempt_start(member=members.a1, step=setup.steps.quiz)


def test_a_member_without_the_track_cannot_start_its_quiz(setup, members):
    with pytest.raises(Http404):
        quiz_attempt_start(member=members.b1, step=setup.steps.quiz)


def test_a_step_that_is_not_a_quiz_is_refused(setup, members):
    with pytest.raises(ValidationError):
        quiz_attempt_start(member=members.a1, step=setup.steps.material)


def test_passing_the_quiz_as_the_last_required_step_completes_the_track(setup, members):
    """Material and lecture done; the passed quiz completes the track and credits it."""
    complete_step(members.a1, setup.steps.material)
    complete_step(members.a1, setup.steps.lecture)
    attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    quiz_attempt_submit(attempt=attempt, answers=right_answers(attempt))
    completion = TrackCompletion.objects.get(member=members.a1, track=setup.track)
    entry = CreditEntry.objects.get(member=members.a1, source_key=f"track:{setup.track.pk}")
    assert (entry.hours, entry.points) == (completion.study_hours, 20)


@pytest.mark.django_db(transaction=True)
def test_starts_at_once_make_one_attempt(tree, members):
    """Transactional: the threads need their own committed connections, so that the unique
    attempt number decides between them on the real database."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL.")
    setup = ordered_setup(tree.township_a)
    _set_rules(setup.quiz, attempt_limit=1)
    barrier, results = threading.Barrier(6), []

    def start():
        try:
            barrier.wait()
            results.append(quiz_attempt_start(member=members.a1, step=setup.steps.quiz).pk)
        except ValidationError as error:
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert QuizAttempt.objects.filter(member=members.a1).count() == 1
    attempt = QuizAttempt.objects.get(member=members.a1)
    # Every start got the one attempt, or a clean refusal; nobody got a second attempt.
    assert all(result == attempt.pk or isinstance(result, ValidationError) for result in results)
    assert attempt.pk in results
