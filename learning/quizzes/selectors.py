"""Reading quizzes: the questions drawn for an attempt with their feedback, and where a
member stands with a quiz.

An attempt keeps the ids of the questions drawn for it, in the order asked, and the order
each question's answers were shown in, so the bank can change without changing what a member
was asked and a reload shows the same page. Answers are stored per question id as a list of
strings: positions in the shown order for single and multiple choice, "true" or "false" for
true/false.

The answer key (which choices are right, and the explanations, which usually give it away)
reaches a member only once they have passed or have no attempt left: until then feedback
says which of their answers were wrong, never what is right (``attempt_feedback``).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.models import Member

from ..models import QuizAttempt, QuizPage, StepProgress, TrackStep

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
    right: bool | None = None  # set by attempt_feedback, which may hide the key itself

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
    page = step.page if TrackStep._meta.get_field("page").is_cached(step) else None
    if isinstance(page, QuizPage):  # loaded with the step (learning.tracks.kept)
        return page
    return QuizPage.objects.get(pk=step.page_id)


def attempts_left(*, member: Member, quiz: QuizPage) -> int | None:
    """Attempts the member may still start; None when the quiz allows any number."""
    if not quiz.attempt_limit:
        return None
    used = QuizAttempt.objects.filter(member=member, quiz=quiz).count()
    return max(quiz.attempt_limit - used, 0)


def _bank(quiz: QuizPage) -> dict:
    return {child.id: child for child in quiz.questions}


def shown_order(stored: list | None, size: int) -> list[int]:
    """The bank's choice indexes in the order an attempt shows them. Indexes an editor has
    since removed are dropped; choices added since come last."""
    order = [i for i in (stored or []) if isinstance(i, int) and 0 <= i < size]
    order = list(dict.fromkeys(order))
    return order + [i for i in range(size) if i not in order]


def _question(child, number: int, answered: list[str], order: list | None = None) -> Question:
    value = child.value
    if child.block_type == "true_false":
        right = "true" if value["true"] else "false"
        labels = {"true": _("True"), "false": _("False")}
        choices = [Choice(v, labels[v], v == right, v in answered) for v in TRUE_FALSE]
    else:
        bank = list(value["choices"])
        choices = [
            Choice(
                str(position),
                bank[index]["text"],
                bool(bank[index]["correct"]),
                str(position) in answered,
            )
            for position, index in enumerate(shown_order(order, len(bank)))
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
    """The attempt's questions and their answers in the order drawn, with the given (or
    stored) answers. The key is in them: for grading, and for pages only through
    ``attempt_feedback``.

    A question an editor has since removed from the bank is left out.
    """
    bank = _bank(attempt.quiz)
    answers = attempt.answers if answers is None else answers
    orders = attempt.choice_orders or {}
    drawn = [bank[qid] for qid in attempt.question_ids if qid in bank]
    return [
        _question(child, n, answers.get(child.id, []), orders.get(child.id))
        for n, child in enumerate(drawn, 1)
    ]


def attempt_feedback(attempt: QuizAttempt, *, key_shown: bool) -> list[Question]:
    """A submitted attempt's questions with whether each answer was right; without the key
    (which choices are right, the explanations) unless ``key_shown``."""
    questions = attempt_questions(attempt)
    for question in questions:
        question.right = question.is_right
        if not key_shown:
            question.explanation = ""
            for choice in question.choices:
                choice.correct = False
    return questions


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

    @property
    def key_shown(self) -> bool:
        """The answer key may be shown once the member has passed or has no attempt left
        (not while the last attempt is still being answered)."""
        return self.passed or (self.left == 0 and self.running is None)


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


def step_is_done(*, member: Member, step: TrackStep) -> bool:
    return StepProgress.objects.filter(
        member=member, step=step, completed_at__isnull=False
    ).exists()


def step_after(step: TrackStep) -> TrackStep | None:
    """The next step of the step's track that a member opens here (offline sessions are
    recorded by the secretary), in the track's order."""
    steps = list(step.track.steps.select_related("page").order_by("sort_order", "pk"))
    position = next(i for i, other in enumerate(steps) if other.pk == step.pk)
    return next((other for other in steps[position + 1 :] if other.get_url()), None)
