from .accounts import ActivationCode, Role, RoleAssignment, User
from .members import Member
from .organizations import Organization, Pairing

__all__ = ["ActivationCode", "Member", "Organization", "Pairing", "Role", "RoleAssignment", "User"]
