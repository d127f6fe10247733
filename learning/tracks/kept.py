"""What the member's step and quiz pages read, kept in the cache under the versions of
learning/versions.py: the step with its track and page (the same for everyone), and which
tracks reach the member and which the member has completed (the member's own).

A signed-in member opens a step page many times; building these reads with the ORM was most
of the page's CPU (docs/benchmarks.md). Whatever changes them replaces a version first, so
nothing kept here outlives the change.
"""

from django.http import Http404

from portal.models import Member

from ..models import TrackCompletion, TrackStep
from ..versions import kept, learning_key
from .selectors import step_page, tracks_for_member


def member_reach(request, member: Member) -> dict[str, frozenset[int]]:
    """The live tracks assigned to the member (``assigned``) and those the member has
    completed (``completed``), as sets of ids (read once a request)."""
    known = getattr(request, "_learning_reach", None)
    if known is not None and known[0] == member.pk:
        return known[1]

    def build() -> dict[str, frozenset[int]]:
        completed = TrackCompletion.objects.filter(member=member).values_list("track_id", flat=True)
        return {
            "assigned": frozenset(tracks_for_member(member).values_list("pk", flat=True)),
            "completed": frozenset(completed),
        }

    reach = kept(learning_key(request, member.pk, "reach"), build)
    if request is not None:
        request._learning_reach = (member.pk, reach)
    return reach


def step_with_page(request, track_id: int, step_id: int) -> TrackStep | None:
    """The step of a live track that is not a template, with its track and its page (as its
    own type, on ``step.page``); None if there is none."""

    def build() -> TrackStep | bool:
        step = (
            TrackStep.objects.select_related("track")
            .filter(pk=step_id, track_id=track_id, track__live=True, track__is_template=False)
            .first()
        )
        if step is None:
            return False  # kept too: a missing step is asked for again and again by no one
        if step.page_id and step.kind in TrackStep.PAGE_MODELS:
            step_page(step)
        return step

    return kept(learning_key(request, None, "step", track_id, step_id), build) or None


def step_for_member_kept(request, member: Member, track_id: int, step_id: int) -> TrackStep:
    """``selectors.step_for_member`` for a page the member opens: the step if its track is
    live and assigned to the member; 404 otherwise."""
    step = step_with_page(request, track_id, step_id)
    if step is None or step.track_id not in member_reach(request, member)["assigned"]:
        raise Http404
    return step
