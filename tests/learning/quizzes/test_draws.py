"""A retry is a new test, not a sure pass: each attempt draws its own questions from the
bank in its own order, shows its own order again on reload, grades against that order, and
keeps the answer key from the member until they have passed or used up their attempts."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from learning.models import QuizAttempt
from learning.quizzes.selectors import attempt_questions
from learning.quizzes.services import (
    quiz_attempt_draw,
    quiz_attempt_start,
    quiz_attempt_submit,
    quiz_choice_orders,
)

from ..quiz_helpers import member_login, ordered_setup, right_answers, wrong_answers

BANK_SIZE = 10


@pytest.fixture
def setup(tree):
    return ordered_setup(tree.township_a)


def _bank(size: int) -> list:
    """Single-choice questions whose right answer reads 对N and explanation 解析N."""
    return [
        (
            "single",
            {
                "prompt": f"第{n}题",
                "choices": [
                    {"text": f"对{n}", "correct": True},
                    {"text": f"错{n}甲", "correct": False},
                    {"text": f"错{n}乙", "correct": False},
                ],
                "explanation": f"解析{n}",
            },
        )
        for n in range(size)
    ]


def _rules(quiz, **rules):
    for name, value in rules.items():
        setattr(quiz, name, value)
    quiz.save()


def _fail(member, step):
    attempt = quiz_attempt_start(member=member, step=step)
    return quiz_attempt_submit(attempt=attempt, answers=wrong_answers(attempt))


def _quiz_url(setup):
    kwargs = {"track_id": setup.track.pk, "step_id": setup.steps.quiz.pk}
    return reverse("learning:quiz", kwargs=kwargs)


def _result_url(setup, number):
    kwargs = {"track_id": setup.track.pk, "step_id": setup.steps.quiz.pk, "number": number}
    return reverse("learning:quiz_result", kwargs=kwargs)


def test_a_retry_after_a_fail_asks_other_questions_when_the_bank_has_enough(setup, members):
    """A bank of 10 and 5 per attempt: the second attempt asks none of the first's."""
    _rules(setup.quiz, questions=_bank(BANK_SIZE), draw_count=5)
    first = _fail(members.a1, setup.steps.quiz)
    second = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    assert len(first.question_ids) == len(second.question_ids) == 5
    assert not set(first.question_ids) & set(second.question_ids)


def test_a_small_bank_repeats_only_as_many_questions_as_it_must(setup, members):
    _rules(setup.quiz, questions=_bank(BANK_SIZE), draw_count=7)
    first = _fail(members.a1, setup.steps.quiz)
    second = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    unseen = {child.id for child in setup.quiz.questions} - set(first.question_ids)
    assert unseen <= set(second.question_ids)
    assert len(set(first.question_ids) & set(second.question_ids)) == 4


def test_questions_and_their_answers_come_in_a_new_order_per_attempt(setup, members):
    """Every question every time (draw_count 0), but not in one order: the draws differ,
    and each drawn choice question gets a shuffle of all its answers."""
    _rules(setup.quiz, questions=_bank(BANK_SIZE))
    draws = [quiz_attempt_draw(setup.quiz) for _ in range(20)]
    assert all(sorted(draw) == sorted(draws[0]) for draw in draws)
    assert len({tuple(draw) for draw in draws}) > 1
    orders = [quiz_choice_orders(setup.quiz, draws[0]) for _ in range(20)]
    assert all(sorted(order[qid]) == [0, 1, 2] for order in orders for qid in draws[0])
    assert len({tuple(order[draws[0][0]]) for order in orders}) > 1


def test_an_attempt_is_graded_in_the_order_it_showed(setup, members):
    """The right answer is where this attempt showed it, not where the editor put it."""
    attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    single = next(q for q in attempt_questions(attempt) if q.kind == "single")
    attempt.choice_orders[single.id] = [1, 0, 2]  # 八项, the right answer, shown first
    attempt.save()
    shown = next(q for q in attempt_questions(attempt) if q.id == single.id)
    assert [c.text for c in shown.choices] == ["八项", "六项", "十项"]
    answers = right_answers(attempt)
    assert answers[single.id] == ["0"]
    assert quiz_attempt_submit(attempt=attempt, answers=answers).score == 100


def test_a_reload_shows_the_same_questions_in_the_same_order(client, setup, members):
    """Neither reloading the page nor pressing start again gets a new draw."""
    _rules(setup.quiz, questions=_bank(BANK_SIZE), draw_count=5)
    member_login(client, members.a1)
    client.post(_quiz_url(setup), {"start": "1"})
    attempt = QuizAttempt.objects.get(member=members.a1)
    pages = [client.get(_quiz_url(setup)).content.decode() for _ in range(2)]
    client.post(_quiz_url(setup), {"start": "1"})
    pages.append(client.get(_quiz_url(setup)).content.decode())
    shown = [re.findall(r"第\d+题|[对错]\d+[甲乙]?", page) for page in pages]
    assert shown[0] == shown[1] == shown[2]
    asked = [q.prompt for q in attempt_questions(attempt)]
    assert [text for text in shown[0] if text.startswith("第")] == asked
    assert QuizAttempt.objects.filter(member=members.a1).count() == 1
    assert QuizAttempt.objects.get().choice_orders == attempt.choice_orders


def test_the_questions_page_holds_no_key(client, setup, members):
    """The form sends positions in the shown order, with no sign of the right choice."""
    _rules(setup.quiz, questions=_bank(BANK_SIZE), draw_count=5)
    member_login(client, members.a1)
    html = client.post(_quiz_url(setup), {"start": "1"}, follow=True).content.decode()
    assert "解析" not in html and "correct" not in html and "answer-key" not in html
    assert set(re.findall(r'type="radio" name="q-[^"]+" value="([^"]*)"', html)) == {"0", "1", "2"}


def test_a_failed_attempt_with_attempts_left_says_what_was_wrong_not_what_is_right(
    client, setup, members
):
    member_login(client, members.a1)
    _fail(members.a1, setup.steps.quiz)
    html = client.get(_result_url(setup, 1)).content.decode()
    assert html.count('data-right="false"') == 3
    assert html.count('class="your-answer"') == 3
    assert 'id="key-hidden"' in html
    assert "answer-key" not in html  # no choice marked as the right one
    assert "党章第三条" not in html  # nor the explanation, which gives it away


def test_the_key_stays_hidden_while_the_last_attempt_is_being_answered(client, setup, members):
    _rules(setup.quiz, attempt_limit=2)
    member_login(client, members.a1)
    _fail(members.a1, setup.steps.quiz)
    quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    html = client.get(_result_url(setup, 1)).content.decode()
    assert "answer-key" not in html and "党章第三条" not in html


def test_the_key_is_shown_once_the_attempts_are_used_up(client, setup, members):
    _rules(setup.quiz, attempt_limit=1)
    member_login(client, members.a1)
    _fail(members.a1, setup.steps.quiz)
    html = client.get(_result_url(setup, 1)).content.decode()
    assert html.count('class="answer-key"') == 4  # 1 + 2 (multiple choice) + 1
    assert "党章第三条" in html and 'id="key-hidden"' not in html


def test_the_key_is_shown_after_a_pass_for_earlier_attempts_too(client, setup, members):
    member_login(client, members.a1)
    _fail(members.a1, setup.steps.quiz)
    attempt = quiz_attempt_start(member=members.a1, step=setup.steps.quiz)
    quiz_attempt_submit(attempt=attempt, answers=right_answers(attempt))
    for number in (1, 2):
        html = client.get(_result_url(setup, number)).content.decode()
        assert 'class="answer-key"' in html and "党章第三条" in html


def test_draw_count_cannot_exceed_the_bank(setup):
    setup.quiz.draw_count = 4
    with pytest.raises(ValidationError) as error:
        setup.quiz.full_clean()
    assert list(error.value.message_dict) == ["draw_count"]
    setup.quiz.draw_count = 3
    setup.quiz.full_clean()
