"""A member trying their luck: submitting one attempt twice at once, answering questions the
attempt did not ask, or starting more attempts than allowed."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from learning.models import CreditEntry, QuizAttempt
from learning.quizzes.services import quiz_attempt_start, quiz_attempt_submit

from ..quiz_helpers import member_login, ordered_setup, right_answers, wrong_answers
from .test_draws import BANK_SIZE, _bank, _rules


@pytest.fixture
def setup(tree):
    return ordered_setup(tree.township_a)


def _quiz_url(setup):
    kwargs = {"track_id": setup.track.pk, "step_id": setup.steps.quiz.pk}
    return reverse("learning:quiz", kwargs=kwargs)


@pytest.mark.django_db(transaction=True)
def test_submissions_of_one_attempt_at_once_grade_it_once(tree, members):
    """Transactional: each thread commits on its own connection, so the row lock on the
    attempt decides between them on the real database."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL.")
    setup = ordered_setup(tree.township_a)
    attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    answers = right_answers(attempt)
    barrier, results = threading.Barrier(4), []

    def submit():
        try:
            barrier.wait()
            results.append(quiz_attempt_submit(attempt=attempt, answers=answers).score)
        except ValidationError as error:
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(100) == 1
    assert sum(isinstance(result, ValidationError) for result in results) == 3
    step_key = f"step:{setup.steps.quiz.pk}"
    assert CreditEntry.objects.filter(member=members.a1, source_key=step_key).count() == 1


def test_answers_to_questions_the_attempt_did_not_ask_are_refused(setup, members):
    _rules(setup.quiz, questions=_bank(BANK_SIZE), draw_count=5)
    attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    other = next(c.id for c in setup.quiz.questions if c.id not in attempt.question_ids)
    answers = {**right_answers(attempt), other: ["0"]}
    with pytest.raises(ValidationError):
        quiz_attempt_submit(attempt=attempt, answers=answers)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.answers == {}


def test_the_form_cannot_smuggle_in_answers_to_other_questions(client, setup, members):
    _rules(setup.quiz, questions=_bank(BANK_SIZE), draw_count=5)
    member_login(client, members.a1)
    client.post(_quiz_url(setup), {"start": "1"})
    attempt = QuizAttempt.objects.get(member=members.a1)
    other = next(c.id for c in setup.quiz.questions if c.id not in attempt.question_ids)
    data = {"attempt": attempt.pk, f"q-{other}": "0"}
    data.update({f"q-{qid}": values for qid, values in right_answers(attempt).items()})
    response = client.post(_quiz_url(setup), data, follow=True)
    with translation.override("zh-hans"):
        refusal = gettext("These answers are for questions this attempt did not ask.")
    assert f'<li class="error">{refusal}</li>' in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_no_attempt_is_started_past_the_limit_from_the_page(client, setup, members):
    _rules(setup.quiz, attempt_limit=1)
    member_login(client, members.a1)
    client.post(_quiz_url(setup), {"start": "1"})
    attempt = QuizAttempt.objects.get(member=members.a1)
    client.post(_quiz_url(setup), {"attempt": attempt.pk, **_form(wrong_answers(attempt))})
    html = client.post(_quiz_url(setup), {"start": "1"}, follow=True).content.decode()
    assert 'id="quiz-start"' not in html and 'name="attempt"' not in html
    assert QuizAttempt.objects.filter(member=members.a1).count() == 1


def _form(answers):
    return {f"q-{qid}": values for qid, values in answers.items()}
