"""Taking a quiz: start (or resume) an attempt, submit it and score it; a pass completes
every step that takes the quiz in the member's tracks (ADR 0013).

Each attempt is a fresh draw: ``draw_count`` questions from the bank, preferring those the
previous attempt did not ask, in a random order with each question's answers shuffled.
The draw is stored on the attempt, so reloading it shows the same page and grading reads
the answers against what was shown.
"""

import random

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Member

from ..models import QuizAttempt, QuizPage, TrackStep
from ..progress.services import member_lock, progress_locked, step_complete
from ..tracks.selectors import step_for_member, tracks_for_member
from .selectors import Question, attempt_questions, quiz_for_step

# Two starts racing for the same attempt number: the loser looks again this many times.
START_TRIES = 3


def quiz_attempt_draw(quiz: QuizPage, *, previous: list[str] | None = None) -> list[str]:
    """The ids of the questions for a new attempt, in the order they will be asked.

    Questions the previous attempt asked are drawn only when the rest of the bank is too
    small to fill the attempt.
    """
    chance = random.SystemRandom()
    ids = [child.id for child in quiz.questions]
    count = quiz.draw_count if 0 < quiz.draw_count < len(ids) else len(ids)
    seen = set(previous or [])
    fresh = [qid for qid in ids if qid not in seen]
    if len(fresh) >= count:
        return chance.sample(fresh, count)
    drawn = fresh + chance.sample([qid for qid in ids if qid in seen], count - len(fresh))
    chance.shuffle(drawn)
    return drawn


def quiz_choice_orders(quiz: QuizPage, question_ids: list[str]) -> dict[str, list[int]]:
    """A random order of the answers of each drawn choice question (true or false keeps
    its fixed order: there is nothing to shuffle)."""
    chance = random.SystemRandom()
    orders = {}
    for child in quiz.questions:
        if child.id in question_ids and child.block_type != "true_false":
            orders[child.id] = chance.sample(
                range(len(child.value["choices"])), k=len(child.value["choices"])
            )
    return orders


def quiz_attempt_start(*, member: Member, step: TrackStep) -> QuizAttempt:
    """Start an attempt at the step's quiz, or return the one the member has not submitted.

    Refused when the quiz is passed already or no attempts are left. The attempt number is
    unique per member and quiz in the database, so two starts at once cannot both take the
    last attempt: the loser finds the winner's attempt and resumes it.
    """
    step = step_for_member(member=member, track_id=step.track_id, step_id=step.pk)
    quiz = quiz_for_step(step)
    for _try in range(START_TRIES):
        attempts = QuizAttempt.objects.filter(member=member, quiz=quiz)
        unfinished = attempts.filter(submitted_at__isnull=True).order_by("number").first()
        if unfinished is not None:
            return unfinished
        if attempts.filter(passed=True).exists():
            raise ValidationError(_("You have already passed this quiz."))
        used = attempts.aggregate(last=Max("number"))["last"] or 0
        if quiz.attempt_limit and used >= quiz.attempt_limit:
            raise ValidationError(_("You have used all your attempts at this quiz."))
        attempt = QuizAttempt(member=member, quiz=quiz, step=step, number=used + 1)
        previous = attempts.filter(number=used).values_list("question_ids", flat=True).first()
        attempt.question_ids = quiz_attempt_draw(quiz, previous=previous)
        attempt.choice_orders = quiz_choice_orders(quiz, attempt.question_ids)
        try:
            with transaction.atomic():
                attempt.save()
        except IntegrityError:
            continue
        return attempt
    raise ValidationError(_("The quiz is busy. Please try again."))


def _answers_clean(questions: list[Question], answers: dict) -> dict[str, list[str]]:
    if set(answers) - {question.id for question in questions}:
        raise ValidationError(_("These answers are for questions this attempt did not ask."))
    cleaned, errors = {}, {}
    for question in questions:
        given = answers.get(question.id) or []
        given = [given] if isinstance(given, str) else [str(value) for value in given]
        allowed = {choice.value for choice in question.choices}
        if not given:
            message = _("Please answer question %(number)d.")
        elif not set(given) <= allowed or (not question.multiple and len(given) != 1):
            message = _("The answer to question %(number)d is not one of its choices.")
        else:
            cleaned[question.id] = sorted(set(given))
            continue
        errors[question.id] = message % {"number": question.number}
    if errors:
        raise ValidationError(errors)
    return cleaned


def quiz_attempt_submit(*, attempt: QuizAttempt, answers: dict) -> QuizAttempt:
    """Score the attempt; a pass completes the quiz's steps (and maybe tracks) at once.

    ``answers`` maps each drawn question id to the chosen value(s), as shown in this
    attempt. Every question must be answered, and only those; the error names the question.
    An attempt is scored once: a second submission, even at the same moment, is refused.
    """
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
        if attempt.submitted_at is not None:
            raise ValidationError(_("This attempt has already been submitted."))
        questions = attempt_questions(attempt, answers={})
        cleaned = _answers_clean(questions, answers)
        scored = attempt_questions(attempt, answers=cleaned)
        right = sum(1 for question in scored if question.is_right)
        now = timezone.now()
        attempt.answers = cleaned
        attempt.score = round(100 * right / len(scored)) if scored else 0
        attempt.passed = attempt.score >= attempt.quiz.pass_mark
        attempt.submitted_at = now
        attempt.save(update_fields=["answers", "score", "passed", "submitted_at"])
        if attempt.passed:
            steps = quiz_steps_for(member=attempt.member, quiz=attempt.quiz)
            if attempt.step_id and attempt.step not in steps:
                steps.append(attempt.step)
            _steps_complete(attempt.member, steps, now)
    return attempt


def quiz_steps_for(*, member: Member, quiz: QuizPage) -> list[TrackStep]:
    """The steps that take the quiz in the member's live tracks."""
    return list(
        TrackStep.objects.select_related("track").filter(
            kind=TrackStep.Kind.QUIZ, page=quiz, track__in=tracks_for_member(member)
        )
    )


def _steps_complete(member: Member, steps: list[TrackStep], now) -> None:
    """Complete the quiz steps, each once. The member's row is locked before their progress
    rows (in step order), as when a track's completion completes its passed quiz steps, so
    two of these at once, or one and a track's completion, cannot deadlock."""
    steps = sorted(set(steps), key=lambda step: step.pk)
    member_lock(member.pk)
    locked = [progress_locked(member, step, now) for step in steps]
    for progress in locked:
        step_complete(progress=progress, at=now)


def quiz_step_satisfy(*, member: Member, step: TrackStep) -> bool:
    """Complete the quiz step if the member has passed its quiz already (in another track,
    or a month before); whether they had. Credit follows the step, once per step and track."""
    quiz = quiz_for_step(step)
    if not QuizAttempt.objects.filter(member=member, quiz=quiz, passed=True).exists():
        return False
    with transaction.atomic():
        _steps_complete(member, [step], timezone.now())
    return True
