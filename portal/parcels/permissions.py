"""Who may work on red packages in the admin: org admins dispatch and assign to the members
they keep; editors and org admins of a package's section organisation (or above) keep its
stock. The views' scope says on what; this says whether at all."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.parcels import selectors as parcel_selectors
from portal.parcels.models import RedPackageRequest, RedPackageStock, StockMovement
from portal.registry.models import Role
from portal.registry.selectors import holds_role

User = get_user_model()


def keeps_members(user) -> bool:
    """Org admins (and superusers): they dispatch and assign. Cached for the request."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_guiyan_keeps_members"):
        user._guiyan_keeps_members = holds_role(user, Role.ORG_ADMIN)
    return user._guiyan_keeps_members


def keeps_stock(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_guiyan_keeps_stock"):
        user._guiyan_keeps_stock = parcel_selectors.user_keeps_stock(user)
    return user._guiyan_keeps_stock


class ParcelPermissionPolicy(BasePermissionPolicy):
    """``actions`` for whoever ``allowed(user)``; the views' scope says on what."""

    def __init__(self, model, actions, allowed, roles):
        super().__init__(model)
        self.actions, self.allowed, self.roles = frozenset(actions), allowed, roles

    def user_has_permission(self, user, action):
        return action in self.actions and self.allowed(user)

    def user_has_any_permission(self, user, actions):
        return bool(self.actions.intersection(actions)) and self.allowed(user)

    def users_with_any_permission(self, actions):
        if not self.actions.intersection(actions):
            return User.objects.none()
        holders = Q(is_superuser=True) | Q(role_assignments__role__in=self.roles)
        return User.objects.filter(holders, is_active=True).distinct()


STOCK_ROLES = [Role.EDITOR, Role.ORG_ADMIN]
register_permission_policy(
    RedPackageRequest,
    ParcelPermissionPolicy(RedPackageRequest, {"view"}, keeps_members, [Role.ORG_ADMIN]),
)
register_permission_policy(
    RedPackageStock, ParcelPermissionPolicy(RedPackageStock, {"view"}, keeps_stock, STOCK_ROLES)
)
register_permission_policy(
    StockMovement,
    ParcelPermissionPolicy(StockMovement, {"view", "add"}, keeps_stock, STOCK_ROLES),
)


def permission_require(allowed, request) -> None:
    if not allowed(request.user):
        raise PermissionDenied
