from .accounts import ActivationCode, Role, RoleAssignment, User
from .members import Member
from .organizations import Organization, Pairing
from .pages import HomePage

__all__ = [
    "ActivationCode",
    "HomePage",
    "Member",
    "Organization",
    "Pairing",
    "Role",
    "RoleAssignment",
    "User",
]
