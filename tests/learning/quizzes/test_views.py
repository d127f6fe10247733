import pytest
from django.urls import reverse

from learning.models import QuizAttempt, StepProgress
from learning.quizzes.selectors import attempt_questions
from portal.registry.factories import UserFactory

from ..quiz_helpers import member_login, ordered_setup, right_answers, wrong_answers


@pytest.fixture
def setup(tree):
    return ordered_setup(tree.township_a)


def _url(setup):
    return reverse(
        "learning:quiz", kwargs={"track_id": setup.track.pk, "step_id": setup.steps.quiz.pk}
    )


def _form(attempt, answers):
    data = {"attempt": attempt.pk}
    for question_id, values in answers.items():
        data[f"q-{question_id}"] = values
    return data


def test_the_quiz_page_shows_the_rules_and_a_start_button(client, setup, members):
    member_login(client, members.a1)
    response = client.get(_url(setup))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="quiz-start"' in html
    assert 'id="attempts-left">3<' in html
    assert setup.quiz.title in html
    assert "八项" not in html  # no question before the start, let alone answers


def test_start_shows_the_questions_as_a_plain_form(client, setup, members):
    member_login(client, members.a1)
    response = client.post(_url(setup), {"start": "1"}, follow=True)
    attempt = QuizAttempt.objects.get(member=members.a1)
    html = response.content.decode()
    for question in attempt_questions(attempt):
        assert f'name="q-{question.id}"' in html
    assert 'type="radio"' in html and 'type="checkbox"' in html
    assert "党章第三条" not in html  # explanations wait for the result


def test_submitting_right_answers_shows_the_result_and_completes_the_step(client, setup, members):
    member_login(client, members.a1)
    client.post(_url(setup), {"start": "1"})
    attempt = QuizAttempt.objects.get(member=members.a1)
    response = client.post(_url(setup), _form(attempt, right_answers(attempt)), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="score">100%' in html
    assert 'data-passed="true"' in html
    assert "党章第三条" in html  # the explanation
    assert StepProgress.objects.get(member=members.a1, step=setup.steps.quiz).completed_at


def test_a_missing_answer_is_shown_next_to_its_question_and_choices_are_kept(
    client, setup, members
):
    member_login(client, members.a1)
    client.post(_url(setup), {"start": "1"})
    attempt = QuizAttempt.objects.get(member=members.a1)
    answers = right_answers(attempt)
    skipped = next(q for q in attempt_questions(attempt) if q.kind == "true_false")
    del answers[skipped.id]
    response = client.post(_url(setup), _form(attempt, answers))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'class="question has-error" id="question-{skipped.number}"' in html
    assert "checked" in html
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_a_failed_attempt_offers_another_while_attempts_are_left(client, setup, members):
    member_login(client, members.a1)
    client.post(_url(setup), {"start": "1"})
    attempt = QuizAttempt.objects.get(member=members.a1)
    response = client.post(_url(setup), _form(attempt, wrong_answers(attempt)), follow=True)
    html = response.content.decode()
    assert 'data-passed="false"' in html
    assert 'id="attempts-left">2<' in html
    assert 'name="start"' in html


def test_another_members_result_is_not_found(client, setup, members, tree):
    member_login(client, members.a1)
    client.post(_url(setup), {"start": "1"})
    attempt = QuizAttempt.objects.get(member=members.a1)
    client.post(_url(setup), _form(attempt, right_answers(attempt)))
    result = reverse(
        "learning:quiz_result",
        kwargs={"track_id": setup.track.pk, "step_id": setup.steps.quiz.pk, "number": 1},
    )
    assert client.get(result).status_code == 200
    member_login(client, members.a2)
    assert client.get(result).status_code == 404
    # Nor can a2 submit a1's attempt.
    response = client.post(_url(setup), _form(attempt, right_answers(attempt)))
    assert response.status_code == 404


def test_a_member_without_the_track_gets_404(client, setup, members):
    member_login(client, members.b1)
    assert client.get(_url(setup)).status_code == 404
    assert client.post(_url(setup), {"start": "1"}).status_code == 404


def test_a_step_that_is_not_a_quiz_is_not_found_here(client, setup, members):
    member_login(client, members.a1)
    url = reverse(
        "learning:quiz",
        kwargs={"track_id": setup.track.pk, "step_id": setup.steps.material.pk},
    )
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_log_in_and_a_user_without_a_member_is_refused(client, setup):
    response = client.get(_url(setup))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))
    client.force_login(UserFactory())
    assert client.get(_url(setup)).status_code == 403


def test_the_quiz_page_itself_never_shows_the_answers(client, setup, members):
    member_login(client, members.a1)
    response = client.get(setup.quiz.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "八项" not in html and "党章第三条" not in html
    assert _url(setup) in html
