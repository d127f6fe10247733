"""The member's quiz pages: rules and a start button, the questions as a plain form, and
the result with feedback. Every page works without JavaScript.

A step whose quiz the member has passed (here or in another track) is done: its page says
so and points to the next step, instead of offering a quiz that cannot be taken again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from portal.registry.selectors import member_for_user

from ..models import QuizAttempt, TrackStep
from ..tracks.kept import step_for_member_kept
from ..versions import kept, learning_key
from .selectors import (
    attempt_feedback,
    attempt_questions,
    quiz_for_step,
    quiz_state,
    step_after,
    step_is_done,
)
from .services import quiz_attempt_start, quiz_attempt_submit, quiz_step_satisfy


def member_or_403(request):
    member = member_for_user(request.user)
    if member is None:
        raise PermissionDenied
    return member


def _quiz_step(request, track_id: int, step_id: int):
    member = member_or_403(request)
    step, _parts = step_for_member_kept(request, member, track_id, step_id)
    if step.kind != TrackStep.Kind.QUIZ or not step.page_id:
        raise Http404
    return member, step, quiz_for_step(step)


def _render_attempt(request, step, quiz, attempt, answers=None, errors=None, status=200):
    questions = attempt_questions(attempt, answers=answers or {})
    for question in questions:
        question.errors = (errors or {}).get(question.id, [])
    context = {"step": step, "quiz": quiz, "attempt": attempt, "questions": questions}
    context["errors"] = bool(errors)
    return render(request, "learning/quiz.html", context, status=status)


def _submit(request, member, step, quiz):
    attempt = get_object_or_404(
        QuizAttempt, pk=request.POST.get("attempt", "0"), member=member, quiz=quiz
    )
    # Every answer field sent, not only the attempt's: answers to questions it did not ask
    # are refused, not ignored.
    answers = {
        name.removeprefix("q-"): request.POST.getlist(name)
        for name in request.POST
        if name.startswith("q-")
    }
    try:
        attempt = quiz_attempt_submit(attempt=attempt, answers=answers)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {}
        if not errors:
            messages.error(request, " ".join(exc.messages))
            return redirect(request.path)
        return _render_attempt(request, step, quiz, attempt, answers, errors, status=400)
    return redirect(
        "learning:quiz_result", track_id=step.track_id, step_id=step.pk, number=attempt.number
    )


@login_required
@require_http_methods(["GET", "POST"])
def quiz(request, track_id: int, step_id: int):
    member, step, quiz_page = _quiz_step(request, track_id, step_id)
    if request.method == "POST" and "attempt" in request.POST:
        return _submit(request, member, step, quiz_page)
    if request.method == "POST":
        try:
            quiz_attempt_start(member=member, step=step)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(request.path)
    state, step_done = kept(
        learning_key(request, member.pk, "quiz", step.pk),
        lambda: _intro_state(member, step, quiz_page),
    )
    if state.running is not None:
        return _render_attempt(request, step, quiz_page, state.running)
    context = {"step": step, "quiz": quiz_page, "state": state, "step_done": step_done}
    context["next_step"] = step_after(step) if step_done else None
    return render(request, "learning/quiz_intro.html", context)


def _intro_state(member, step, quiz_page) -> tuple:
    """Where the member stands with the quiz, and whether the step is done: a quiz passed
    elsewhere completes this step too (once; kept per version of the member's record)."""
    state = quiz_state(member=member, quiz=quiz_page)
    if state.running is not None:
        return state, False
    step_done = step_is_done(member=member, step=step)
    if state.passed and not step_done:
        quiz_step_satisfy(member=member, step=step)
        step_done = step_is_done(member=member, step=step)
    return state, step_done


@login_required
def quiz_result(request, track_id: int, step_id: int, number: int):
    member, step, quiz_page = _quiz_step(request, track_id, step_id)
    attempt = get_object_or_404(
        QuizAttempt, member=member, quiz=quiz_page, number=number, submitted_at__isnull=False
    )
    state = quiz_state(member=member, quiz=quiz_page)
    context = {
        "step": step,
        "quiz": quiz_page,
        "attempt": attempt,
        "questions": attempt_feedback(attempt, key_shown=state.key_shown),
        "state": state,
        "next_step": step_after(step) if state.passed else None,
    }
    return render(request, "learning/quiz_result.html", context)
