"""Shortcuts for tests that take quizzes and complete steps."""

from types import SimpleNamespace

from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from learning.models import StepProgress, TrackStep
from learning.progress.services import step_complete
from learning.quizzes.selectors import attempt_questions
from learning.quizzes.services import quiz_attempt_start, quiz_attempt_submit

from .helpers import learning_setup

KINDS = ["material", "lecture", "quiz", "reading", "offline"]


def ordered_setup(organization, **options) -> SimpleNamespace:
    """learning_setup, with the steps' sort_order saved (the helper leaves it empty, so
    its steps come back in any order) and each step found by its kind."""
    setup = learning_setup(organization, **options)
    steps = {step.kind: step for step in setup.track.steps.all()}
    for order, kind in enumerate(KINDS):
        TrackStep.objects.filter(pk=steps[kind].pk).update(sort_order=order)
        steps[kind].sort_order = order
    setup.steps = SimpleNamespace(**steps)
    return setup


def right_answers(attempt) -> dict[str, list[str]]:
    """The right answer to every question drawn for the attempt."""
    return {
        question.id: [choice.value for choice in question.choices if choice.correct]
        for question in attempt_questions(attempt, answers={})
    }


def wrong_answers(attempt) -> dict[str, list[str]]:
    """A wrong answer to every question drawn for the attempt: one choice that is not right."""
    return {
        question.id: [next(choice.value for choice in question.choices if not choice.correct)]
        for question in attempt_questions(attempt, answers={})
    }


def complete_step(member, step, at=None) -> None:
    at = at or timezone.now()
    with transaction.atomic():
        progress, _created = StepProgress.objects.select_for_update().get_or_create(
            member=member, step=step, defaults={"opened_at": at}
        )
        step_complete(progress=progress, at=at)


def track_complete(member, setup) -> None:
    """Material and lecture done, the quiz passed: the track is complete, and the on-commit
    work (the certificate task, eager in tests) has run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        complete_step(member, setup.steps.material)
        complete_step(member, setup.steps.lecture)
        attempt = quiz_attempt_start(member=member, step=setup.steps.quiz)
        quiz_attempt_submit(attempt=attempt, answers=right_answers(attempt))


def member_login(client, member):
    """Give the member an account (as activation does) and log the client in with it."""
    from portal.registry import services

    if member.user_id is None:
        services.member_account_issue(member=member, issued_by=None)
        member.refresh_from_db()
    client.force_login(member.user)
    return member.user
