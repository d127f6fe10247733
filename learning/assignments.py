"""Assigning tracks: to an organisation's subtree (its members now and any who join later) or
to named members.

Who may assign where: an org admin within the subtrees they administer, whatever the track;
an editor of a section within the subtree of the section's organisation, for that section's
tracks. The same scope decides what each of them lists.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from portal.models import Member, Organization, Role, RoleAssignment, SectionPage

from .models import TrackAssignment, TrackPage, TrackStep


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
    """Org admins may assign any track; editors their own sections' tracks."""
    tracks = TrackPage.objects.all()
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


def _scope_check(assignment: TrackAssignment, user) -> None:
    if assignment.track_id and not assignable_tracks(user).filter(pk=assignment.track_id).exists():
        raise ValidationError({"track": _("You may not assign this track.")})
    track = assignment.track if assignment.track_id else None
    if assignment.organization_id:
        allowed = assignable_organizations(user, track=track)
        if not allowed.filter(pk=assignment.organization_id).exists():
            message = _("You may only assign tracks within the organisations you keep.")
            raise ValidationError({"organization": message})
    if assignment.member_id:
        allowed = assignable_members(user, track=track)
        if not allowed.filter(pk=assignment.member_id).exists():
            message = _("You may only assign tracks to members of the organisations you keep.")
            raise ValidationError({"member": message})


def _duplicate_check(assignment: TrackAssignment) -> None:
    existing = TrackAssignment.objects.filter(track_id=assignment.track_id)
    if (
        assignment.organization_id
        and existing.filter(organization_id=assignment.organization_id).exists()
    ):
        message = _("This track is already assigned to this organisation.")
        raise ValidationError({"organization": message})
    if assignment.member_id and existing.filter(member_id=assignment.member_id).exists():
        raise ValidationError({"member": _("This track is already assigned to this member.")})


def track_assign(
    *,
    track: TrackPage,
    organization: Organization | None = None,
    member: Member | None = None,
    user,
) -> TrackAssignment:
    """Assign the track to an organisation's subtree or to one member, within the user's
    scope; a second assignment of the same track to the same target is refused."""
    assignment = TrackAssignment(
        track=track, organization=organization, member=member, assigned_by=user
    )
    assignment.full_clean(validate_constraints=False)
    _scope_check(assignment, user)
    _duplicate_check(assignment)
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:  # the same assignment made at the same moment
        _duplicate_check(assignment)
        raise
    return assignment


def assignments_copy(*, source: TrackPage, target: TrackPage) -> int:
    """Give ``target`` the assignments of ``source`` (a monthly pack those of its template)."""
    rows = [
        TrackAssignment(
            track=target,
            organization_id=a.organization_id,
            member_id=a.member_id,
            assigned_by_id=a.assigned_by_id,
        )
        for a in source.assignments.all()
    ]
    return len(TrackAssignment.objects.bulk_create(rows, ignore_conflicts=True))


# --- Red packages: a received package brings its reading tracks ------------------------


def red_package_tracks_assign(*, member_id: int, package_id: int) -> int:
    """Assign to the member every live track with a reading step on the package they
    received (templates excepted); a track they already have by name is left as it is.
    Returns how many assignments were made."""
    tracks = (
        TrackPage.objects.live()
        .filter(is_template=False)
        .filter(steps__kind=TrackStep.Kind.READING, steps__page_id=package_id)
        .distinct()
    )
    held = TrackAssignment.objects.filter(member_id=member_id).values("track_id")
    rows = [TrackAssignment(track=t, member_id=member_id) for t in tracks.exclude(pk__in=held)]
    # A duplicate delivery racing this one is settled by the one-per-member constraint.
    TrackAssignment.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
