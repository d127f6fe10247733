"""Everything that reads the registry for a view: always scoped to who is asking."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from portal.registry.models import Member, Organization, Pairing, Role, RoleAssignment


def member_if_loaded(user) -> Member | None:
    """The user's member if the login backend loaded it with the user; None otherwise (no
    query either way)."""
    relation = Member._meta.get_field("user").remote_field
    return relation.get_cached_value(user) if relation.is_cached(user) else None


def member_for_user(user) -> Member | None:
    """The user's member with its origin and host organisations: the one the login backend
    loaded with the user (no query), else one query."""
    if not user.is_authenticated:
        return None
    relation = Member._meta.get_field("user").remote_field
    if relation.is_cached(user):
        member = relation.get_cached_value(user)
        fields = Member._meta.get_field("origin"), Member._meta.get_field("host")
        if member is None or (
            not member.get_deferred_fields() and all(f.is_cached(member) for f in fields)
        ):
            return member
    return Member.objects.select_related("origin", "host").filter(user=user).first()


ROLE_ROOTS_CACHE = "_guiyan_role_roots"


def _role_roots(user, role: str) -> list[Organization]:
    """The organisations a role was granted on (not their subtrees); none for inactive users.

    Remembered on the user object, which lives for one request: an admin page asks for the
    same roles from every menu item, permission policy and view (role_cache_clear forgets)."""
    if not user.is_authenticated or not user.is_active:
        return []
    remembered = user.__dict__.setdefault(ROLE_ROOTS_CACHE, {})
    if role not in remembered:
        remembered[role] = list(
            Organization.objects.filter(
                role_assignments__user=user, role_assignments__role=role
            ).only("path", "level")
        )
    return remembered[role]


def role_cache_clear(user) -> None:
    """Forget what this user object remembers of its roles (after a grant or a revoke): every
    such fact is kept under an attribute named ``_guiyan_…``."""
    for name in [name for name in user.__dict__ if name.startswith("_guiyan_")]:
        del user.__dict__[name]


def holds_role(user, role: str) -> bool:
    """Whether ``user`` holds ``role`` anywhere (superusers hold every role)."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return True
    return bool(_role_roots(user, role))


def organizations_for_role(user, role: str) -> QuerySet[Organization]:
    """The organisations where ``user`` holds ``role``, with everything below them."""
    return organizations_for_roles(user, [role])


def organizations_for_roles(user, roles: list[str]) -> QuerySet[Organization]:
    """The organisations where ``user`` holds any of ``roles``, with everything below them."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.within([root for role in roles for root in _role_roots(user, role)])


def organizations_managed_by(user) -> QuerySet[Organization]:
    return organizations_for_role(user, Role.ORG_ADMIN)


def members_visible_to(user) -> QuerySet[Member]:
    """Members an org admin keeps, under dual management (双向共管).

    The origin side keeps the members whose origin branch is in its subtrees. A host-side
    organisation sees the members of its paired origin organisations who live in its area,
    and nothing more: the member's host organisation is in the admin's subtree, and a
    pairing links an organisation at or above the member's origin with a host-side
    organisation at or above the member's host.
    """
    if user.is_authenticated and user.is_active and user.is_superuser:
        return Member.objects.all()
    roots = _role_roots(user, Role.ORG_ADMIN)
    if not roots:
        return Member.objects.none()
    query = Q(pk__in=[])
    for root in roots:
        if root.is_host:
            query |= _paired_hosted_members(root)
        else:
            query |= Q(origin__path__startswith=root.path)
    return Member.objects.filter(query)


def _paired_hosted_members(root: Organization) -> Q:
    """Members hosted in ``root``'s subtree whose origin is covered by a pairing made at or
    above their host: pairings of the organisations above ``root`` cover its whole subtree,
    pairings inside it cover their own subtrees."""
    above = [root.path[:end] for end in range(root.steplen, len(root.path), root.steplen)]
    pairings = Pairing.objects.filter(
        Q(host__path__in=above) | Q(host__path__startswith=root.path)
    ).values_list("origin__path", "host__path")
    query = Q(pk__in=[])
    for origin_path, host_path in pairings:
        area = host_path if len(host_path) > len(root.path) else root.path
        query |= Q(origin__path__startswith=origin_path, host__path__startswith=area)
    return query


def members_paired_at(organization: Organization) -> QuerySet[Member]:
    """Floating members living in a host-side organisation's area whose origin is paired with
    it (or with an organisation above it): those its meetings expect under dual management."""
    return Member.objects.filter(
        _paired_hosted_members(organization),
        floating_status=Member.FloatingStatus.FLOATING,
    )


def members_kept_at_origin(user) -> QuerySet[Member]:
    """Members whose origin branch is in the user's org-admin subtrees: the side that keeps
    their core ledger data (ID, origin) and verifies their whereabouts."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return Member.objects.all()
    query = Q(pk__in=[])
    for root in _role_roots(user, Role.ORG_ADMIN):
        if not root.is_host:
            query |= Q(origin__path__startswith=root.path)
    return Member.objects.filter(query)


def users_choosable_by(user) -> QuerySet:
    """Whom an org admin may pick for a role: the logins of the members they keep, and the
    users already holding a role within their subtrees. A superuser picks among everyone."""
    users = get_user_model().objects.all()
    if user.is_authenticated and user.is_active and user.is_superuser:
        return users
    kept = members_visible_to(user).filter(user__isnull=False).values("user_id")
    holding = RoleAssignment.objects.filter(organization__in=organizations_managed_by(user)).values(
        "user_id"
    )
    return users.filter(Q(pk__in=kept) | Q(pk__in=holding))


def user_roles(user) -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.filter(user=user).select_related("organization").order_by("role")
    )


# --- Search: who keeps the county-wide synonym list (settings.SEARCH_VOCABULARY_EDITORS) ---


def manages_a_county(user) -> bool:
    """Superusers and the org admins of a county (the root of the home side)."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return True
    roots = _role_roots(user, Role.ORG_ADMIN)
    return any(root.level == Organization.Level.COUNTY for root in roots)
