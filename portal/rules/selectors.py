"""Which rules an event reaches, and which rules a user may see in the admin."""

from django.db.models import Q, QuerySet
from wagtail.models import Page

from portal.registry.models import Organization, Role
from portal.registry.selectors import organizations_for_role, organizations_for_roles

from .models import Rule
from .registry import Event


def _ancestor_paths(path: str, steplen: int) -> list[str]:
    return [path[:n] for n in range(steplen, len(path) + 1, steplen)]


def rules_for_event(event: Event) -> QuerySet[Rule]:
    """Enabled rules for the trigger assigned at or above the organisation concerned, not
    switched off at or above it, and (for pages) assigned to no section or one above it."""
    rules = Rule.objects.enabled().filter(trigger=event.trigger)
    org = event.organization
    if org is None:
        rules = rules.filter(organization__isnull=True)
    else:
        paths = _ancestor_paths(org.path, Organization.steplen)
        rules = rules.filter(
            Q(organization__isnull=True) | Q(organization__path__in=paths)
        ).exclude(exclusions__organization__path__in=paths)
    if event.page is None:
        rules = rules.filter(section__isnull=True)
    else:
        pages = _ancestor_paths(event.page.path, Page.steplen)
        rules = rules.filter(Q(section__isnull=True) | Q(section__path__in=pages))
    return rules.order_by("pk").distinct()


def rules_editable_by(user) -> QuerySet[Rule]:
    """Org admins: rules assigned in their subtrees; superusers: all."""
    if user.is_active and user.is_superuser:
        return Rule.objects.all()
    return Rule.objects.filter(organization__in=organizations_for_role(user, Role.ORG_ADMIN))


def rules_visible_to(user) -> QuerySet[Rule]:
    """What ``rules_editable_by`` gives, and for editors and reviewers (read-only) the rules
    that touch the sections they work on: site-wide, assigned above, at or below their
    organisations."""
    if user.is_active and user.is_superuser:
        return Rule.objects.all()
    own = organizations_for_roles(user, [Role.EDITOR, Role.REVIEWER])
    above = set()
    for path in own.values_list("path", flat=True):
        above.update(_ancestor_paths(path, Organization.steplen))
    if not above:
        return rules_editable_by(user)
    return Rule.objects.filter(
        Q(pk__in=rules_editable_by(user).values("pk"))
        | Q(organization__isnull=True)
        | Q(organization__path__in=above)
        | Q(organization__in=own)
    )


def executions_recent(rule: Rule, limit: int = 20):
    return rule.executions.all()[:limit]
