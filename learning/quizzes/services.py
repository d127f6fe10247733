"""Taking a quiz: start (or resume) an attempt, submit it and score it; a pass completes
the quiz step."""

import random

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Member

from ..models import QuizAttempt, QuizPage, StepProgress, TrackStep
from ..progress.services import step_complete
from ..tracks.selectors import step_for_member
from .selectors import Question, attempt_questions, quiz_for_step

# Two starts racing for the same attempt number: the loser looks again this many times.
START_TRIES = 3


def quiz_attempt_draw(quiz: QuizPage) -> list[str]:
    """The ids of the questions for a new attempt, in the order they will be asked."""
    ids = [child.id for child in quiz.questions]
    count = quiz.draw_count if 0 < quiz.draw_count < len(ids) else len(ids)
    return random.SystemRandom().sample(ids, count)


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
        attempt.question_ids = quiz_attempt_draw(quiz)
        try:
            with transaction.atomic():
                attempt.save()
        except IntegrityError:
            continue
        return attempt
    raise ValidationError(_("The quiz is busy. Please try again."))


def _answers_clean(questions: list[Question], answers: dict) -> dict[str, list[str]]:
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
    """Score the attempt; a pass completes the quiz step (and maybe the track) at once.

    ``answers`` maps each drawn question id to the chosen value(s). Every question must be
    answered; the error names the question. An attempt is scored once.
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
        if attempt.passed and attempt.step_id:
            _step_complete(attempt, now)
    return attempt


def _step_complete(attempt: QuizAttempt, now) -> None:
    progress, _created = StepProgress.objects.select_for_update().get_or_create(
        member_id=attempt.member_id, step_id=attempt.step_id, defaults={"opened_at": now}
    )
    step_complete(progress=progress, at=now)
