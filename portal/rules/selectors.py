"""Which rules an event reaches, and which rules a user may see in the admin."""

from django.db.models import Count, Q, QuerySet
from wagtail.models import Page

from portal.registry.models import Organization, Role, RoleAssignment
from portal.registry.selectors import organizations_for_role

from .models import Rule, RuleExecution
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
    """What ``rules_editable_by`` gives, and read-only the rules that touch an org admin's,
    editor's or reviewer's organisations: site-wide, assigned above them, or within them."""
    if user.is_active and user.is_superuser:
        return Rule.objects.all()
    roots = RoleAssignment.objects.filter(
        user=user, role__in=[Role.ORG_ADMIN, Role.EDITOR, Role.REVIEWER]
    ).values_list("organization__path", flat=True)
    above, within = set(), Q()
    for path in roots:
        above.update(_ancestor_paths(path, Organization.steplen))
        within |= Q(organization__path__startswith=path)
    if not above:
        return Rule.objects.none()
    return Rule.objects.filter(
        Q(organization__isnull=True) | Q(organization__path__in=above) | within
    )


def executions_recent(rule: Rule, limit: int = 20):
    return rule.executions.all()[:limit]


def number_floors(rules, number: str) -> list[float]:
    """For each rule, the least value of ``number`` its threshold conditions let through (0
    when it has none): a daily check need not raise an event below the smallest, and once
    past the largest every rule has had its day."""
    floors = []
    for rule in rules:
        limits = [
            float(entry.get("params", {}).get("at_least") or 0)
            for entry in rule.conditions
            if isinstance(entry, dict)
            and entry.get("key") == "threshold"
            and entry.get("params", {}).get("number") == number
        ]
        floors.append(max(limits, default=0.0))
    return floors


def event_keys_done(rules, keys: list[str]) -> set[str]:
    """Of ``keys``, the events every one of ``rules`` has already run to the end for."""
    rule_ids = [rule.pk for rule in rules]
    done = (
        RuleExecution.objects.filter(
            rule_id__in=rule_ids, event_key__in=keys, finished_at__isnull=False
        )
        .values("event_key")
        .annotate(rules=Count("rule_id", distinct=True))
        .filter(rules=len(rule_ids))
        .values_list("event_key", flat=True)
    )
    return set(done)
