"""Reading shortlists (候选名单) for a view, always scoped to who is asking.

A shortlist belongs to a recruiting department: an organisation where someone holds the
recruiter role directly. All recruiters of that department see and edit it; county org admins
(and superusers) see every shortlist but change none; nobody else sees any.
"""

from django.db.models import Count, Q, QuerySet

from portal.models import Organization, Role
from portal.registry.selectors import holds_role, manages_a_county
from talent.models import Shortlist, ShortlistEntry, TalentProfile
from talent.selectors import profiles_visible_to


def recruiting_departments(user) -> QuerySet[Organization]:
    """The organisations where ``user`` was granted the recruiter role (not their subtrees)."""
    if not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    return Organization.objects.filter(
        role_assignments__user=user, role_assignments__role=Role.RECRUITER
    ).distinct()


def can_use_shortlists(user) -> bool:
    """Whether the shortlist pages are open to ``user`` at all."""
    return holds_role(user, Role.RECRUITER) or manages_a_county(user)


def shortlists_visible_to(user) -> QuerySet[Shortlist]:
    # Counts only people still in the pool, as the list's page shows only those.
    in_pool = TalentProfile.objects.in_pool().values("pk")
    shortlists = Shortlist.objects.select_related("organization", "created_by").annotate(
        entry_count=Count("entries", filter=Q(entries__profile__in=in_pool))
    )
    if manages_a_county(user):
        return shortlists
    return shortlists.filter(organization__in=recruiting_departments(user))


def shortlists_editable_by(user) -> QuerySet[Shortlist]:
    return Shortlist.objects.filter(organization__in=recruiting_departments(user))


def shortlists_for_desk(user) -> QuerySet[Shortlist]:
    """The shortlists ``user`` may add people to, for a select box on the desk."""
    return shortlists_editable_by(user).select_related("organization").order_by("name")


def can_edit_shortlist(user, shortlist: Shortlist) -> bool:
    return recruiting_departments(user).filter(pk=shortlist.organization_id).exists()


def shortlist_entries_for(user, shortlist: Shortlist) -> QuerySet[ShortlistEntry]:
    """The entries whose person ``user`` may still see: someone who left the pool (consent
    withdrawn) or lives outside the viewer's area stays on the list but is not shown."""
    return (
        shortlist.entries.filter(profile__in=profiles_visible_to(user))
        .select_related("profile__member", "profile__hometown_village", "added_by")
        .order_by("added_at", "pk")
    )
