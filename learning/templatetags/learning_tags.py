"""Template tags for the learning pages that Wagtail serves (the track and quiz pages):
they read the member's own state, so the page models need no view code."""

from django import template
from django.utils import timezone, translation

from portal.registry.selectors import member_for_user

from ..models import TrackStep
from ..tracks.selectors import assignments_for_member, track_completion_for, track_step_statuses
from ..versions import learning_versions

register = template.Library()


@register.simple_tag(takes_context=True)
def learning_versions_for(context) -> str:
    """What a fragment of the signed-in member's learning page is cached under besides its
    own name: the member and the versions of content, reach and the member's record
    (learning/versions.py), and today's date. Empty in a preview, which is never cached."""
    request = context.get("request")
    if request is None or getattr(request, "is_preview", False):
        return ""
    member = member_for_user(request.user)
    versions = learning_versions(request, member.pk if member else None)
    return f"{versions}:{timezone.localdate()}:{translation.get_language()}"


@register.simple_tag(takes_context=True)
def track_for_member(context, track):
    """The member's steps and completion of ``track``; no member (an editor previewing)
    gives every step as not started."""
    request = context.get("request")
    member = member_for_user(request.user) if request is not None else None
    return {
        "member": member,
        "steps": track_step_statuses(member=member, track=track),
        "completion": track_completion_for(member=member, track=track),
        "overdue": bool(track.deadline and track.deadline < timezone.localdate()),
    }


@register.simple_tag(takes_context=True)
def quiz_steps_for_member(context, quiz):
    """The steps of the member's tracks that take this quiz."""
    request = context.get("request")
    member = member_for_user(request.user) if request is not None else None
    if member is None:
        return []
    tracks = assignments_for_member(member).values("track_id")
    return list(
        TrackStep.objects.select_related("track")
        .filter(page_id=quiz.pk, kind=TrackStep.Kind.QUIZ, track__live=True, track__in=tracks)
        .order_by("track__deadline", "pk")
    )
