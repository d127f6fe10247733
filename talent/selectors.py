"""Who may see what of the talent pool: one function for each rule, called by the admin's
views, the recruiter's desk, its search scope, exports, comparisons and shortlists.

Recruiters see the people of the pool whose home lies in the organisations they recruit for
(a county recruiter sees all); county org admins (and superusers) see the whole pool, and in
the admin every profile, in the pool or not (a member's profile waits there for consent).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from portal.models import Organization, Role
from portal.registry.selectors import holds_role, manages_a_county, organizations_for_role
from talent.models import TalentProfile


def is_recruiter(user) -> bool:
    """Holds the recruiter role somewhere (or is a superuser)."""
    return holds_role(user, Role.RECRUITER)


def can_search_talent(user) -> bool:
    """Recruiters and county org admins (and superusers) search the pool."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return manages_a_county(user) or is_recruiter(user)


def recruiting_scope(user) -> list[int] | None:
    """None for the whole pool (county org admins, county recruiters); else the organisations
    the user recruits for, whose people they see by home township or village."""
    if manages_a_county(user):
        return None
    organizations = dict(organizations_for_role(user, Role.RECRUITER).values_list("pk", "level"))
    if Organization.Level.COUNTY in organizations.values():
        return None
    return sorted(organizations)


def profiles_in_scope(scope: list[int] | None) -> QuerySet[TalentProfile]:
    """The pool's profiles of a scope (``recruiting_scope``)."""
    pool = TalentProfile.objects.in_pool()
    if scope is None:
        return pool
    return pool.filter(Q(hometown_village__in=scope) | Q(hometown_township__in=scope))


def profiles_visible_to(user) -> QuerySet[TalentProfile]:
    """County org admins: the pool; recruiters: the pool's people from where they recruit."""
    return profiles_in_scope(recruiting_scope(user)).select_related("member", "hometown_village")


def profiles_administered_by(user) -> QuerySet[TalentProfile]:
    """What the admin lists: for county org admins every profile, consented or not."""
    if manages_a_county(user):
        return TalentProfile.objects.select_related("member", "hometown_village")
    return profiles_visible_to(user)


def county_admin_profile(user, pk) -> TalentProfile:
    """The profile a county org admin works on (consent, the negative list); anyone else is
    refused, and a profile that does not exist is a 404."""
    if not manages_a_county(user):
        raise PermissionDenied
    return get_object_or_404(profiles_administered_by(user), pk=pk)


def can_reveal_contact(user, profile: TalentProfile) -> bool:
    """Who may see a profile's full phone and ID number (each time logged, with a reason):
    a county org admin for anyone in the pool; a recruiter for the people from the places
    they recruit for, which is exactly the profiles the desk shows them."""
    if not can_search_talent(user):
        return False
    if manages_a_county(user):
        return True
    return profiles_visible_to(user).filter(pk=profile.pk).exists()


def consent_state(profile: TalentProfile) -> str:
    if not profile.member_id:
        return str(_("Not needed (not a member)"))
    if profile.consent_withdrawn_at:
        return str(_("Withdrawn"))
    return str(_("Given") if profile.consented_at else _("Not recorded"))
