"""Reading offline sessions (集中学习): the sessions a secretary keeps, and the members
expected at one."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.models import Member, Organization, Role
from portal.registry.selectors import members_visible_to, organizations_managed_by

from ..models import TrackAssignment, TrackStep


def _reach(assignments: QuerySet[TrackAssignment]) -> Q:
    """Members an assignment reaches: named ones, or origin or host below an organisation."""
    query = Q(pk__in=assignments.filter(member__isnull=False).values("member_id"))
    paths = assignments.filter(organization__isnull=False).values_list(
        "organization__path", flat=True
    )
    for path in paths:
        query |= Q(origin__path__startswith=path) | Q(host__path__startswith=path)
    return query


def offline_steps_for(user) -> QuerySet[TrackStep]:
    """Offline sessions of live tracks that reach the secretary's subtrees: assigned to an
    organisation in, above or below them, or to a member they keep."""
    if user.is_superuser:
        assignments = TrackAssignment.objects.all()
    else:
        roots = Organization.objects.filter(
            role_assignments__user=user, role_assignments__role=Role.ORG_ADMIN
        )
        step = Organization.steplen
        ancestors = {r.path[:end] for r in roots for end in range(step, len(r.path), step)}
        assignments = TrackAssignment.objects.filter(
            Q(organization__in=organizations_managed_by(user))
            | Q(organization__path__in=ancestors)
            | Q(member__in=members_visible_to(user))
        )
    return (
        TrackStep.objects.filter(
            kind=TrackStep.Kind.OFFLINE,
            track__live=True,
            track__is_template=False,
            track__in=assignments.values("track_id"),
        )
        .select_related("track")
        .order_by("-session_starts_at")
    )


def attendance_members(*, step: TrackStep, user) -> QuerySet[Member]:
    """The members the secretary keeps to whom the step's track is assigned."""
    assignments = TrackAssignment.objects.filter(track_id=step.track_id)
    return (
        members_visible_to(user)
        .filter(_reach(assignments))
        .select_related("origin", "host")
        .order_by("origin__path", "name", "pk")
    )


def session_held(step: TrackStep, *, now: datetime.datetime | None = None) -> bool:
    """Whether the session has begun: attendance is recorded from its start time on, never
    for a session without one."""
    starts = step.session_starts_at
    return starts is not None and starts <= (now or timezone.now())
