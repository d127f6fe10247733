"""What the member's step and quiz pages read, kept in the cache under the versions of
learning/versions.py: the step with its track and page (the same for everyone), and which
tracks reach the member and which the member has completed (the member's own).

A signed-in member opens a step page many times; building these reads with the ORM was most
of the page's CPU (docs/benchmarks.md). Whatever changes them replaces a version first, so
nothing kept here outlives the change.
"""

from django.core.cache import cache
from django.http import Http404

from portal.models import Member

from ..models import TrackCompletion, TrackStep
from ..versions import KEPT_SECONDS, kept, learning_key
from .selectors import step_page, tracks_for_member


def _reach_build(member: Member) -> dict[str, frozenset[int]]:
    completed = TrackCompletion.objects.filter(member=member).values_list("track_id", flat=True)
    return {
        "assigned": frozenset(tracks_for_member(member).values_list("pk", flat=True)),
        "completed": frozenset(completed),
    }


def _step_build(track_id: int, step_id: int) -> TrackStep | bool:
    step = (
        TrackStep.objects.select_related("track")
        .filter(pk=step_id, track_id=track_id, track__live=True, track__is_template=False)
        .first()
    )
    if step is None:
        return False  # kept too: None is what the cache gives for nothing kept
    if step.page_id and step.kind in TrackStep.PAGE_MODELS:
        step_page(step)
    return step


def member_reach(request, member: Member) -> dict[str, frozenset[int]]:
    """The live tracks assigned to the member (``assigned``) and those the member has
    completed (``completed``), as sets of ids (read once a request)."""
    known = getattr(request, "_learning_reach", None)
    if known is not None and known[0] == member.pk:
        return known[1]
    reach = kept(learning_key(request, member.pk, "reach"), lambda: _reach_build(member))
    if request is not None:
        request._learning_reach = (member.pk, reach)
    return reach


def step_for_member_kept(
    request, member: Member, track_id: int, step_id: int, *, extra: dict | None = None
) -> tuple[TrackStep, dict]:
    """``selectors.step_for_member`` for a page the member opens: the step of a live track
    assigned to the member, with its track and its page (as its own type, on ``step.page``);
    404 otherwise. ``extra`` names more of the step's things to keep, each with the function
    that builds it from the step; they come back in the dict, all read in one round trip."""
    # The member's key first: it reads every version at once, the shared ones included.
    keys = {"reach": learning_key(request, member.pk, "reach")}
    keys["step"] = learning_key(request, None, "step", track_id, step_id)
    for name in extra or {}:
        keys[name] = learning_key(request, None, name, track_id, step_id)
    found = cache.get_many(list(keys.values()))
    missing = {}
    step = found.get(keys["step"])
    if step is None:
        step = missing[keys["step"]] = _step_build(track_id, step_id)
    reach = found.get(keys["reach"])
    if reach is None:
        reach = missing[keys["reach"]] = _reach_build(member)
    parts = {}
    for name, build in (extra or {}).items():
        parts[name] = found.get(keys[name])
        if parts[name] is None:
            parts[name] = missing[keys[name]] = build(step or None)
    if missing:
        cache.set_many(missing, KEPT_SECONDS)
    step = step or None
    request._learning_reach = (member.pk, reach)
    if step is None or step.track_id not in reach["assigned"]:
        raise Http404
    return step, parts
