"""The page a member studies a step on: a material to read, a lecture to watch, or a red
package to read and write a note about.

Opening the page is a contact that advances the member's attention clock (``progress_open``);
static/learning/progress.js reports reading time and played segments to the progress API.
Without JavaScript the content is all there, only progress is not reported.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.registry.selectors import member_for_user

from ..models import TrackStep
from ..tracks.kept import member_reach, step_for_member_kept
from .events import heartbeat_max_seconds
from .forms import ReadingNoteForm
from .selectors import progress_state
from .services import progress_open, reading_note_min_chars, reading_note_submit


def lecture_parts(step: TrackStep | None) -> dict[str, str]:
    """What a lecture step shows the same to every member, rendered: the poster frame and
    the video's sources, the summary and the transcript (kept under the content and learning
    generations, which a page, an image or a video saved replaces)."""
    if step is None or step.kind != TrackStep.Kind.LECTURE or step.page is None:
        return {}
    page = step.page
    context = {"page": page, "video": page.video, "poster": page.poster_image}
    return {
        name: mark_safe(render_to_string(f"learning/_lecture_{name}.html", context))  # noqa: S308
        for name in ("media", "body")
    }


@login_required
@require_http_methods(["GET", "POST"])
def step(request, track_id: int, step_id: int):
    member = member_for_user(request.user)
    if member is None:
        raise PermissionDenied
    extra = {"lecture-parts": lecture_parts}
    step, parts = step_for_member_kept(request, member, track_id, step_id, extra=extra)
    if step.kind == TrackStep.Kind.QUIZ:
        return redirect(step.get_url())
    if step.kind == TrackStep.Kind.OFFLINE or not step.page_id:
        raise Http404
    is_reading = step.kind == TrackStep.Kind.READING
    if request.method == "POST" and not is_reading:
        return redirect(request.path)
    progress = progress_open(member=member, step=step, at=timezone.now())
    form = ReadingNoteForm(request.POST or None, initial={"note": progress.note})
    if is_reading and request.method == "POST" and form.is_valid():
        try:
            reading_note_submit(member=member, step=step, note=form.cleaned_data["note"])
        except ValidationError as exc:
            form.add_error("note", exc.message_dict.get("note", exc.messages))
        else:
            messages.success(request, _("Thank you. Your reading note is saved."))
            return redirect(request.path)
    track_done = step.track_id in member_reach(request, member)["completed"]
    page = step.page
    duration = page.duration if step.kind == TrackStep.Kind.LECTURE else None
    state = progress_state(progress, track_completed=track_done, duration=duration)
    context = {
        "step": step,
        "track": step.track,
        "page": page,
        "progress": progress,
        "state": state,
        "percent": round(state["coverage"] * 100),
        "form": form,
        "note_min_chars": reading_note_min_chars(),
        "heartbeat_seconds": settings.LEARNING_HEARTBEAT_SECONDS,
        "heartbeat_max": heartbeat_max_seconds(),
        "parts": parts.get("lecture-parts") or {},
    }
    return render(request, f"learning/step_{step.kind}.html", context)
