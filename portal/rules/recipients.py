"""Whom a notify action reaches: roles held in the organisation concerned, or people the event
names (the member, the author)."""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from portal.inbox.services import organization_member_user_ids
from portal.registry.models import Organization, Role, RoleAssignment

from .registry import Event, Recipient, recipient_register

HERE, BELOW, ABOVE = "here", "below", "above"
REACH_CHOICES = [
    (HERE, _("the organisation concerned")),
    (BELOW, _("the organisation concerned and those below it")),
    (ABOVE, _("the organisation concerned and those above it")),
]


def _organizations(event: Event, reach: str, level: str) -> list[int]:
    org = event.organization
    if org is None:
        return []
    if reach == BELOW:
        found = Organization.objects.filter(path__startswith=org.path)
    elif reach == ABOVE:
        steps = range(Organization.steplen, len(org.path) + 1, Organization.steplen)
        found = Organization.objects.filter(path__in=[org.path[:n] for n in steps])
    else:
        found = Organization.objects.filter(pk=org.pk)
    if level:
        found = found.filter(level=level)
    return list(found.values_list("pk", flat=True))


def _role_holders(role: str):
    def resolve(event: Event, reach: str, level: str) -> Iterable[int]:
        return RoleAssignment.objects.filter(
            role=role,
            organization_id__in=_organizations(event, reach, level),
            user__is_active=True,
        ).values_list("user_id", flat=True)

    return resolve


def _members(event: Event, reach: str, level: str) -> Iterable[int]:
    if event.organization is None:
        return []
    if level or reach != BELOW:
        ids = set()
        for org in Organization.objects.filter(pk__in=_organizations(event, reach, level)):
            ids.update(organization_member_user_ids(org))
        return ids
    return organization_member_user_ids(event.organization)


def _named(role: str):
    def resolve(event: Event, reach: str, level: str) -> Iterable[int]:
        return event.people.get(role, frozenset())

    return resolve


def register_builtin_recipients() -> None:
    for key, label, resolve in (
        ("secretary", _("secretaries (organisation admins)"), _role_holders(Role.ORG_ADMIN)),
        ("editors", _("editors"), _role_holders(Role.EDITOR)),
        ("reviewers", _("reviewers"), _role_holders(Role.REVIEWER)),
        ("members", _("members with a login"), _members),
        ("member", _("the member concerned"), _named("member")),
        ("author", _("the author and whoever submitted it"), _named("author")),
    ):
        recipient_register(Recipient(key=key, label=label, resolve=resolve))
