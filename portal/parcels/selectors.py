"""What reads red packages for a view: who may request which package, the requests and
stock a user keeps, and the counts on the admin home."""

import datetime
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from portal.content.models import RedPackagePage, SectionPage
from portal.parcels.models import RedPackageRequest
from portal.registry.models import Member, Organization, Role
from portal.registry.selectors import (
    members_visible_to,
    organizations_for_roles,
    organizations_managed_by,
)

State = RedPackageRequest.State


def _within(organization: Organization | None, roots: Iterable[Organization]) -> bool:
    return bool(organization) and any(organization.path.startswith(r.path) for r in roots)


def package_refusal(*, package: RedPackagePage, member: Member | None) -> str | None:
    """Why ``member`` may not have ``package`` (None when they may): the page's eligibility,
    then the organisations it is limited to (the member's origin or host within one)."""
    if member is None:
        return _("Only members with a login may request a red package.")
    floating_only = package.eligibility == RedPackagePage.Eligibility.FLOATING
    if floating_only and member.floating_status != Member.FloatingStatus.FLOATING:
        return _("This red package is for floating members only.")
    limited_to = list(package.eligible_organizations.all())
    if limited_to and not (_within(member.origin, limited_to) or _within(member.host, limited_to)):
        return _("This red package is only for members of the organisations listed.")
    return None


def package_open_request(*, package: RedPackagePage, member: Member) -> RedPackageRequest | None:
    """The member's request for the package that is not cancelled, if any."""
    return (
        RedPackageRequest.objects.filter(package=package, member=member)
        .exclude(state=State.CANCELLED)
        .first()
    )


def packages_requestable_by(packages: Iterable[RedPackagePage], member: Member | None) -> set:
    """The ids of ``packages`` the member may still request: eligible, in stock, not asked."""
    if member is None:
        return set()
    asked = set(
        RedPackageRequest.objects.filter(member=member)
        .exclude(state=State.CANCELLED)
        .values_list("package_id", flat=True)
    )
    return {
        p.pk
        for p in packages
        if p.pk not in asked and p.available and package_refusal(package=p, member=member) is None
    }


def shipping_initial(member: Member) -> dict:
    """Where to send it, from the member record: the member may change it on the form."""
    return {"recipient": member.name, "phone": member.phone, "address": member.address}


def requests_of_member(member: Member) -> QuerySet[RedPackageRequest]:
    return RedPackageRequest.objects.filter(member=member).select_related("package")


def requests_dispatchable_by(user) -> QuerySet[RedPackageRequest]:
    """Requests of the members the user keeps (origin or host side)."""
    return RedPackageRequest.objects.filter(member__in=members_visible_to(user)).select_related(
        "package", "member", "member__origin"
    )


def stock_organizations_for(user) -> QuerySet[Organization]:
    """Organisations whose sections' packages the user keeps stock of: below an editor or an
    org admin role (every one for a superuser)."""
    return organizations_for_roles(user, [Role.EDITOR, Role.ORG_ADMIN])


def packages_stocked_by(user) -> QuerySet[RedPackagePage]:
    sections = SectionPage.objects.filter(organization__in=stock_organizations_for(user))
    query = Q()
    for path in sections.values_list("path", flat=True):
        query |= Q(path__startswith=path)
    if not query:
        return RedPackagePage.objects.none()
    return RedPackagePage.objects.filter(query)


def user_keeps_stock(user) -> bool:
    return packages_stocked_by(user).exists()


def count_roots(user) -> list[Organization]:
    """The subtrees an org admin keeps, without one inside another."""
    roots: list[Organization] = []
    for organization in (
        organizations_managed_by(user)
        .filter(Q(depth=1) | Q(role_assignments__user=user, role_assignments__role=Role.ORG_ADMIN))
        .distinct()
        .order_by("path")
    ):
        if not any(organization.path.startswith(root.path) for root in roots):
            roots.append(organization)
    return roots


def _in_q(organization: Organization) -> Q:
    """Home-side organisations count their members by origin, host-side ones by host."""
    side = "host" if organization.is_host else "origin"
    return Q(**{f"member__{side}__path__startswith": organization.path})


def package_counts(*, user, start: datetime.datetime, end: datetime.datetime) -> list[dict]:
    """Packages dispatched and study packs received in [start, end) among the members the
    user keeps, for each subtree they keep and each organisation directly below, in one
    query."""
    rows = []
    for root in count_roots(user):
        rows.append({"organization": root, "total": True})
        rows.extend({"organization": child, "total": False} for child in root.get_children())
    if not rows:
        return []
    sent = Q(dispatched_at__gte=start, dispatched_at__lt=end)
    received = Q(received_at__gte=start, received_at__lt=end)
    aggregates = {}
    for index, row in enumerate(rows):
        within = _in_q(row["organization"])
        aggregates[f"sent_{index}"] = Count("pk", filter=sent & within)
        aggregates[f"received_{index}"] = Count("pk", filter=received & within)
    kept = RedPackageRequest.objects.filter(member__in=members_visible_to(user))
    counts = kept.aggregate(**aggregates)
    for index, row in enumerate(rows):
        row["sent"], row["received"] = counts[f"sent_{index}"], counts[f"received_{index}"]
    return rows
