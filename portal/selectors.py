"""Everything that reads the registry for a view: always scoped to who is asking."""

from django.db.models import Q, QuerySet

from .models import Member, Notification, Organization, Role, RoleAssignment, Video


def member_for_user(user) -> Member | None:
    if not user.is_authenticated:
        return None
    return Member.objects.select_related("origin", "host").filter(user=user).first()


def _role_roots(user, role: str) -> list[Organization]:
    """The organisations a role was granted on (not their subtrees); none for inactive users."""
    if not user.is_authenticated or not user.is_active:
        return []
    return list(
        Organization.objects.filter(role_assignments__user=user, role_assignments__role=role).only(
            "path"
        )
    )


def organizations_for_role(user, role: str) -> QuerySet[Organization]:
    """The organisations where ``user`` holds ``role``, with everything below them."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.within(_role_roots(user, role))


def organizations_managed_by(user) -> QuerySet[Organization]:
    return organizations_for_role(user, Role.ORG_ADMIN)


def members_visible_to(user) -> QuerySet[Member]:
    """Members an org admin keeps: those whose origin or host organisation is in their subtrees.

    Dual management means the secretary of a host temporary branch keeps the members hosted
    there as well as the origin side keeps its own.
    """
    if user.is_authenticated and user.is_active and user.is_superuser:
        return Member.objects.all()
    roots = _role_roots(user, Role.ORG_ADMIN)
    if not roots:
        return Member.objects.none()
    query = Q()
    for root in roots:
        query |= Q(origin__path__startswith=root.path) | Q(host__path__startswith=root.path)
    return Member.objects.filter(query)


def user_roles(user) -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.filter(user=user).select_related("organization").order_by("role")
    )


def notifications_for(user) -> QuerySet[Notification]:
    """The user's own inbox, newest first; nobody else's notification is ever in it."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notifications_unread_count(user) -> int:
    return Notification.objects.filter(recipient=user).unread().count()


def video_organizations_for(user) -> QuerySet[Organization]:
    """Publishing organisations whose videos the user sees, uploads and chooses: those whose
    section they edit or review; the county's reviewers, every one (as in publishing).
    """
    published = Organization.objects.filter(section__isnull=False)
    if not user.is_authenticated or not user.is_active:
        return published.none()
    if user.is_superuser:
        return published
    held = RoleAssignment.objects.filter(user=user, role__in=[Role.EDITOR, Role.REVIEWER])
    if held.filter(role=Role.REVIEWER, organization__depth=1).exists():
        return published
    return published.filter(pk__in=held.values("organization_id"))


def videos_visible_to(user) -> QuerySet[Video]:
    return Video.objects.filter(organization__in=video_organizations_for(user))
