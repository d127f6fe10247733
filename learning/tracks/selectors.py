"""Reading tracks: which tracks and steps reach a member, where each user may assign, and
the monthly packs already made.

Who may assign where: an org admin within the subtrees they administer, whatever the track;
an editor of a section within the subtree of the section's organisation, for that section's
tracks. The same scope decides what each of them lists.

A monthly template (``TrackPage.is_template``) is for copying only: it reaches no member, is
assigned to no one and is served only to those who may edit it. An assignment of a template
made before that rule is left in place for its packs to copy, and reaches nobody.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import Http404
from wagtail.models import PageLogEntry

from portal.models import Member, MicroLecturePage, Organization, Role, RoleAssignment, SectionPage

from ..models import (
    OfflineAttendance,
    QuizAttempt,
    StepProgress,
    TrackAssignment,
    TrackCompletion,
    TrackPage,
    TrackStep,
)

# The log entry on a monthly pack that names its template and month.
LOG_ACTION = "learning.monthly_pack"


def ancestor_paths(organization: Organization | None) -> list[str]:
    """The organisation's own path and its ancestors' (treebeard paths are prefixes)."""
    if organization is None:
        return []
    step = Organization.steplen
    return [organization.path[:end] for end in range(step, len(organization.path) + 1, step)]


def assignments_for_member(member: Member) -> QuerySet[TrackAssignment]:
    """Assignments that reach the member: by name, or to an organisation above their origin
    or host organisation (dual management: the host side assigns study too). Templates'
    assignments reach nobody."""
    paths = ancestor_paths(member.origin) + ancestor_paths(member.host)
    return TrackAssignment.objects.filter(
        Q(member=member) | Q(organization__path__in=paths), track__is_template=False
    )


def tracks_for_member(member: Member) -> QuerySet[TrackPage]:
    """Live tracks assigned to the member, the nearest deadline first."""
    track_ids = assignments_for_member(member).values("track_id")
    return (
        TrackPage.objects.live()
        .filter(pk__in=track_ids, is_template=False)
        .order_by("deadline", "-first_published_at")
    )


def track_page_serves_to(*, track: TrackPage, user) -> bool:
    """Whether the track's page is served to the user: a template only to those who may
    edit it (members get a 404, as for a page that is not there)."""
    if not track.is_template:
        return True
    return user.is_authenticated and track.permissions_for_user(user).can_edit()


def track_is_assigned(*, member: Member, track: TrackPage) -> bool:
    return assignments_for_member(member).filter(track=track).exists()


def step_page(step: TrackStep):
    """The step's page as its own type, in one query (a micro-lecture with its video and
    the poster frames the player shows), kept on the step as ``step.page``."""
    model = apps.get_model(TrackStep.PAGE_MODELS[step.kind])
    pages = model.objects.filter(pk=step.page_id)
    if model is MicroLecturePage:
        pages = pages.select_related("video", "poster", "video__poster")
    page = pages.first()
    if page is not None:  # the step's title is the page's
        TrackStep._meta.get_field("page").set_cached_value(step, page)
    return page


def step_for_member(*, member: Member, track_id: int, step_id: int) -> TrackStep:
    """The step, if its track is live and assigned to the member; 404 otherwise, so nobody
    learns which tracks others have."""
    step = (
        TrackStep.objects.select_related("track")
        .filter(pk=step_id, track_id=track_id, track__live=True, track__is_template=False)
        .first()
    )
    if step is None or not track_is_assigned(member=member, track=step.track):
        raise Http404
    return step


@dataclass
class StepStatus:
    """A step of a track as one member stands with it."""

    step: TrackStep
    state: str  # "todo", "doing" or "done"
    percent: int | None = None

    @property
    def url(self) -> str:
        return self.step.get_url()


def _step_state(step: TrackStep, progress, attended: set[int], quizzes: dict) -> StepStatus:
    if (progress and progress.completed_at) or step.pk in attended:
        return StepStatus(step, "done")
    if step.kind == TrackStep.Kind.QUIZ:
        # A quiz passed in another track or month counts here too (ADR 0013).
        state = {True: "done", False: "doing"}.get(quizzes.get(step.page_id), "todo")
        return StepStatus(step, state)
    if progress is None:
        return StepStatus(step, "todo")
    percent = None
    if progress.required_seconds:
        percent = min(99, progress.seconds_credited * 100 // progress.required_seconds)
    return StepStatus(step, "doing", percent)


def track_step_statuses(*, member: Member | None, track: TrackPage) -> list[StepStatus]:
    """The track's steps in order with the member's state on each (all "todo" without a
    member, as for an editor previewing the track)."""
    steps = list(track.steps.select_related("page").order_by("sort_order", "pk"))
    if member is None:
        return [StepStatus(step, "todo") for step in steps]
    progress = {p.step_id: p for p in StepProgress.objects.filter(member=member, step__in=steps)}
    attended = set(
        OfflineAttendance.objects.filter(member=member, step__in=steps, attended=True).values_list(
            "step_id", flat=True
        )
    )
    quiz_ids = [step.page_id for step in steps if step.kind == TrackStep.Kind.QUIZ]
    quizzes: dict[int, bool] = {}  # each quiz tried: whether it was passed
    attempts = QuizAttempt.objects.filter(member=member, quiz_id__in=quiz_ids)
    for quiz_id, passed in attempts.values_list("quiz_id", "passed"):
        quizzes[quiz_id] = quizzes.get(quiz_id, False) or bool(passed)
    return [_step_state(step, progress.get(step.pk), attended, quizzes) for step in steps]


def track_completion_for(*, member: Member | None, track: TrackPage) -> TrackCompletion | None:
    if member is None:
        return None
    return (
        TrackCompletion.objects.select_related("certificate")
        .filter(member=member, track=track)
        .first()
    )


# --- Where a user may assign ---------------------------------------------------------


def _is_superuser(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def _roots(user, role: str) -> list[Organization]:
    if not user.is_authenticated or not user.is_active:
        return []
    return list(
        Organization.objects.filter(role_assignments__user=user, role_assignments__role=role)
    )


def assignment_roots(user, *, track: TrackPage | None = None) -> list[Organization]:
    """The subtrees the user may assign within: every org-admin subtree, and the section
    organisation of each section they edit (only the track's, when a track is given)."""
    if _is_superuser(user):
        return list(Organization.get_root_nodes())
    editor_roots = [o for o in _roots(user, Role.EDITOR) if hasattr(o, "section")]
    if track is not None:
        section = SectionPage.objects.ancestor_of(track).first()
        editor_roots = [o for o in editor_roots if section and o.pk == section.organization_id]
    return _roots(user, Role.ORG_ADMIN) + editor_roots


def _within(roots: list[Organization], *fields: str) -> Q | None:
    query = Q()
    for root in roots:
        for field in fields:
            query |= Q(**{f"{field}path__startswith": root.path})
    return query or None


def assignable_organizations(user, *, track: TrackPage | None = None) -> QuerySet[Organization]:
    query = _within(assignment_roots(user, track=track), "")
    return Organization.objects.filter(query) if query else Organization.objects.none()


def assignable_members(user, *, track: TrackPage | None = None) -> QuerySet[Member]:
    """Members whose origin or host organisation lies in the user's scope (dual management)."""
    query = _within(assignment_roots(user, track=track), "origin__", "host__")
    return Member.objects.filter(query) if query else Member.objects.none()


def assignable_tracks(user) -> QuerySet[TrackPage]:
    """Org admins may assign any track; editors their own sections' tracks; no one a
    template."""
    tracks = TrackPage.objects.filter(is_template=False)
    if _is_superuser(user) or _roots(user, Role.ORG_ADMIN):
        return tracks
    sections = SectionPage.objects.filter(
        organization__role_assignments__user=user, organization__role_assignments__role=Role.EDITOR
    )
    query = Q()
    for section in sections:
        query |= Q(path__startswith=section.path, depth=section.depth + 1)
    return tracks.filter(query) if query else tracks.none()


def assignments_visible_to(user) -> QuerySet[TrackAssignment]:
    """Assignments to an organisation or a member within the user's scope."""
    roots = assignment_roots(user)
    organizations = _within(roots, "organization__")
    members = _within(roots, "member__origin__", "member__host__")
    if organizations is None:
        return TrackAssignment.objects.none()
    return TrackAssignment.objects.filter(organizations | members).select_related(
        "track", "organization", "member", "assigned_by"
    )


def user_may_assign(user) -> bool:
    """Whether the user has any scope to assign in (the admin's menu and views ask this)."""
    if _is_superuser(user):
        return True
    return RoleAssignment.objects.filter(user=user, role__in=[Role.ORG_ADMIN, Role.EDITOR]).exists()


# --- Monthly packs --------------------------------------------------------------------


def month_key(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def monthly_pack_for(*, template: TrackPage, year: int, month: int) -> TrackPage | None:
    """The pack already made from the template for that month, if there is one."""
    entry = (
        PageLogEntry.objects.filter(
            action=LOG_ACTION,
            data__template_id=template.pk,
            data__month=month_key(year, month),
        )
        .order_by("pk")
        .first()
    )
    if entry is None:
        return None
    return TrackPage.objects.filter(pk=entry.page_id).first()
