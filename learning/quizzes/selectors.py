"""Reading quizzes: the questions drawn for an attempt with their feedback, and where a
member stands with a quiz.

An attempt keeps the ids of the questions drawn for it, so the bank can change without
changing what a member was asked. Answers are stored per question id as a list of strings:
choice indexes for single and multiple choice, "true" or "false" for true/false.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.models import Member

from ..models import QuizAttempt, QuizPage, TrackStep

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
