"""Taking a quiz: start (or resume) an attempt, submit it, score it, and show the feedback.

An attempt keeps the ids of the questions drawn for it, so the bank can change without
changing what a member was asked. Answers are stored per question id as a list of strings:
choice indexes for single and multiple choice, "true" or "false" for true/false.
"""

import random
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Member

from .completion import step_complete
from .models import QuizAttempt, QuizPage, StepProgress, TrackStep
from .selectors import step_for_member

# Two starts racing for the same attempt number: the loser looks again this many times.
START_TRIES = 3
TRUE_FALSE = ("true", "false")


@dataclass
class Choice:
    value: str
    text: str
    correct: bool
    chosen: bool


@dataclass
class Question:
    """A drawn question as the member sees it; ``correct`` and ``explanation`` only matter
    once the attempt is submitted."""

    id: str
    number: int
    kind: str
    prompt: str
    choices: list[Choice]
    explanation: str = ""
    answered: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def is_right(self) -> bool:
        right = sorted(choice.value for choice in self.choices if choice.correct)
        return sorted(self.answered) == right

    @property
    def multiple(self) -> bool:
        return self.kind == "multiple"


def quiz_for_step(step: TrackStep) -> QuizPage:
    if step.kind != TrackStep.Kind.QUIZ or not step.page_id:
        raise ValidationError(_("This step is not a quiz."))
    return QuizPage.objects.get(pk=step.page_id)


def attempts_left(*, member: Member, quiz: QuizPage) -> int | None:
    """Attempts the member may still start; None when the quiz allows any number."""
    if not quiz.attempt_limit:
        return None
    used = QuizAttempt.objects.filter(member=member, quiz=quiz).count()
    return max(quiz.attempt_limit - used, 0)


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


def _bank(quiz: QuizPage) -> dict:
    return {child.id: child for child in quiz.questions}


def _question(child, number: int, answered: list[str]) -> Question:
    value = child.value
    if child.block_type == "true_false":
        right = "true" if value["true"] else "false"
        labels = {"true": _("True"), "false": _("False")}
        choices = [Choice(v, labels[v], v == right, v in answered) for v in TRUE_FALSE]
    else:
        choices = [
            Choice(str(index), choice["text"], bool(choice["correct"]), str(index) in answered)
            for index, choice in enumerate(value["choices"])
        ]
    return Question(
        id=child.id,
        number=number,
        kind=child.block_type,
        prompt=value["prompt"],
        choices=choices,
        explanation=value.get("explanation") or "",
        answered=answered,
    )


def attempt_questions(attempt: QuizAttempt, answers: dict | None = None) -> list[Question]:
    """The attempt's questions in the order drawn, with the given (or stored) answers.

    A question an editor has since removed from the bank is left out.
    """
    bank = _bank(attempt.quiz)
    answers = attempt.answers if answers is None else answers
    drawn = [bank[qid] for qid in attempt.question_ids if qid in bank]
    return [_question(child, n, answers.get(child.id, [])) for n, child in enumerate(drawn, 1)]


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


@dataclass
class QuizState:
    """Where a member stands with a quiz: the attempt under way, the last one, what is left."""

    running: QuizAttempt | None
    last: QuizAttempt | None
    passed: bool
    left: int | None

    @property
    def can_start(self) -> bool:
        return self.running is None and not self.passed and self.left != 0


def quiz_state(*, member: Member, quiz: QuizPage) -> QuizState:
    attempts = list(QuizAttempt.objects.filter(member=member, quiz=quiz).order_by("number"))
    running = next((a for a in attempts if a.submitted_at is None), None)
    submitted = [a for a in attempts if a.submitted_at is not None]
    left = max(quiz.attempt_limit - len(attempts), 0) if quiz.attempt_limit else None
    return QuizState(
        running=running,
        last=submitted[-1] if submitted else None,
        passed=any(a.passed for a in submitted),
        left=left,
    )
