"""Who may use an admin area that belongs to org admins (支部书记 and above).

Wagtail asks a model's permission policy whether a user may take an action at all; which
objects they reach is each view's scope (the organisations they keep), not the policy's.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from portal.registry.models import Organization, Role
from portal.registry.selectors import holds_role, organizations_managed_by


def is_org_admin(user, *, home_side: bool = False) -> bool:
    """Active superusers and holders of the org admin role (on a home-side organisation,
    with ``home_side``). Remembered on the user for the request: listings ask once a row."""
    if not user.is_authenticated or not user.is_active:
        return False
    cache_name = "_guiyan_org_admin_home" if home_side else "_guiyan_org_admin"
    if not hasattr(user, cache_name):
        if home_side:
            held = organizations_managed_by(user).home_side().exists()
        else:
            held = holds_role(user, Role.ORG_ADMIN)
        setattr(user, cache_name, user.is_superuser or held)
    return getattr(user, cache_name)


class OrgAdminPolicy(BasePermissionPolicy):
    """Org admins may take ``actions`` on the model; ``home_side``: only those who keep a
    home-side (origin) organisation."""

    def __init__(self, model, actions, *, home_side: bool = False):
        super().__init__(model)
        self.actions = frozenset(actions)
        self.home_side = home_side

    def user_has_permission(self, user, action):
        return action in self.actions and is_org_admin(user, home_side=self.home_side)

    def user_has_any_permission(self, user, actions):
        allowed = bool(self.actions.intersection(actions))
        return allowed and is_org_admin(user, home_side=self.home_side)

    def users_with_any_permission(self, actions):
        User = get_user_model()
        if not self.actions.intersection(actions):
            return User.objects.none()
        held = Q(role_assignments__role=Role.ORG_ADMIN)
        if self.home_side:
            held &= Q(role_assignments__organization__level__in=Organization.HOME_LEVELS)
        return User.objects.filter(Q(is_superuser=True) | held, is_active=True).distinct()
