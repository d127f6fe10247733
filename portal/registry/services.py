"""Everything that writes to the registry. Each function validates before it saves."""

import secrets
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.log_actions import log

from portal import signals
from portal.registry.identity import mask_login, phone_normalize
from portal.registry.models import (
    ActivationCode,
    Member,
    Organization,
    Pairing,
    Role,
    RoleAssignment,
)
from portal.registry.selectors import (
    manages_a_county,
    organizations_managed_by,
    role_cache_clear,
)

User = get_user_model()

# Model permissions each role's group carries; the organisation scope is applied by selectors.
VIDEO_PERMISSIONS = [
    "portal.view_video",
    "portal.add_video",
    "portal.change_video",
    "portal.delete_video",
]
ROLE_PERMISSIONS = {
    Role.EDITOR: ["wagtailadmin.access_admin", *VIDEO_PERMISSIONS],
    Role.REVIEWER: ["wagtailadmin.access_admin", *VIDEO_PERMISSIONS],
    Role.ORG_ADMIN: [
        "wagtailadmin.access_admin",
        "portal.view_member",
        "portal.add_member",
        "portal.change_member",
        "portal.view_organization",
        "portal.add_organization",
        "portal.change_organization",
        "portal.view_pairing",
        "portal.add_pairing",
        "portal.change_pairing",
        "portal.delete_pairing",
        "portal.view_roleassignment",
        "portal.add_roleassignment",
        "portal.change_roleassignment",
        "portal.delete_roleassignment",
    ],
    Role.RECRUITER: [],
    Role.MEMBER: [],
}
# Unambiguous characters only: the code is read off a screen and typed on a phone.
ACTIVATION_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
ACTIVATION_LENGTH = 8


# --- Organisations --------------------------------------------------------------------


def organization_create(
    *,
    parent: Organization | None,
    name: str,
    code: str,
    kind: str,
    level: str,
    city: str = "",
    contact_name: str = "",
    publishes: bool = False,
) -> Organization:
    """Add an organisation to the tree; a publishing one also gets its section of the site
    (content answers ``organization_publishes``)."""
    organization = Organization(
        name=name,
        code=code,
        kind=kind,
        level=level,
        city=city,
        contact_name=contact_name,
        publishes=publishes,
    )
    organization.clean_parent(parent)
    organization.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        organization = Organization.add_root(instance=organization)
    else:
        organization = parent.add_child(instance=organization)
    if publishes:
        signals.organization_publishes.send(sender=Organization, organization=organization)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, data: dict) -> Organization:
    """Change an organisation in place; turning ``publishes`` on creates its section.

    Turning it off keeps the section and its content: pages are unpublished by hand, not lost.
    """
    for field, value in data.items():
        setattr(organization, field, value)
    organization.clean_parent(organization.get_parent())
    organization.full_clean(exclude=["path", "depth", "numchild"])
    organization.save()
    if organization.publishes:
        signals.organization_publishes.send(sender=Organization, organization=organization)
    return organization


def pairing_create(
    *, origin: Organization, host: Organization, signed_on: date, note: str = ""
) -> Pairing:
    pairing = Pairing(origin=origin, host=host, signed_on=signed_on, note=note)
    pairing.full_clean()
    pairing.save()
    return pairing


# --- Members --------------------------------------------------------------------------


def member_create(**fields) -> Member:
    """Register a member. Gender and birth date default to what the ID number says."""
    member = Member(**fields)
    member.fill_from_id_number()
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_update(*, member: Member, data: dict) -> Member:
    for field, value in data.items():
        setattr(member, field, value)
    member.fill_from_id_number()
    member.full_clean()
    member.save()
    if member.user_id and member.user.username != member.phone:
        # The phone number is the login: it follows the ledger.
        User.objects.filter(pk=member.user_id).update(username=member.phone)
    return member


# --- Accounts -------------------------------------------------------------------------


@transaction.atomic
def member_account_issue(*, member: Member, issued_by) -> str:
    """Create the member's login if needed and return a fresh one-time activation code.

    Earlier unused codes stop working. Only the code's hash is kept.
    """
    user = member.user
    if user is None:
        if User.objects.filter(username=member.phone).exists():
            raise ValidationError(
                {"phone": _("Another account already uses this phone number as its login.")}
            )
        user = User(username=member.phone, first_name=member.name)
        user.set_unusable_password()
        user.save()
        member.user = user
        member.save(update_fields=["user"])
    role_grant(user=user, role=Role.MEMBER, organization=member.origin, actor=issued_by)
    ActivationCode.objects.filter(user=user).usable().update(expires_at=timezone.now())
    code = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(ACTIVATION_LENGTH))
    ActivationCode.objects.create(
        user=user,
        code_hash=make_password(code),
        created_by=issued_by,
        expires_at=timezone.now() + settings.ACTIVATION_CODE_TTL,
    )
    return code


def member_activate(*, phone: str, code: str, password: str):
    """Set a member's first password with the code their org admin handed out.

    A wrong code is counted on the code (for the record) but never wears it out: anyone may
    type a member's phone, so wearing out would let a stranger lock the member out. The
    activation page holds back a client that guesses (``portal.registry.throttles``)."""
    phone = phone_normalize(phone)
    code = code.strip().upper()
    error = ValidationError({"code": _("The activation code is wrong or has expired.")})
    activation = (
        ActivationCode.objects.usable().filter(user__username=phone).select_related("user").first()
    )
    if activation is None:
        raise error
    if not check_password(code, activation.code_hash):
        ActivationCode.objects.filter(pk=activation.pk).update(
            failed_attempts=F("failed_attempts") + 1
        )
        raise error
    user = activation.user
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    with transaction.atomic():
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        activation.used_at = timezone.now()
        activation.save(update_fields=["used_at"])
    return user


def activation_codes_purge() -> int:
    """Delete codes that can never be used again; return how many went."""
    deleted, _details = ActivationCode.objects.spent().delete()
    return deleted


# --- Roles ----------------------------------------------------------------------------


def role_group(role: str) -> Group:
    """The group behind a role, named in the site's language whatever the request's."""
    with translation.override(settings.LANGUAGE_CODE):
        name = str(Role(role).label)
    group, _created = Group.objects.get_or_create(name=name)
    return group


def role_permissions() -> dict[str, list[str]]:
    """Each role's permissions: portal's own, and what other apps add through the
    ``register_role_permissions`` hook (a function returning ``{role: [permission, ...]}``),
    read when the groups are synced, so the order apps load in cannot matter."""
    merged = {role: list(codenames) for role, codenames in ROLE_PERMISSIONS.items()}
    for hook in hooks.get_hooks("register_role_permissions"):
        for role, codenames in hook().items():
            merged[role].extend(name for name in codenames if name not in merged[role])
    return merged


def role_groups_sync() -> None:
    """Make sure every role's group exists and carries exactly its permissions."""
    for role, codenames in role_permissions().items():
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permissions.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        role_group(role).permissions.set(permissions)


# Roles that open members' contact details (recruiter) or publishing (editor, reviewer):
# only the county's org admins or a superuser hand them out.
COUNTY_GRANTED_ROLES = frozenset({Role.RECRUITER, Role.EDITOR, Role.REVIEWER})
LOG_ROLE_GRANT = "portal.role_grant"
LOG_ROLE_REVOKE = "portal.role_revoke"


def role_change_check(*, actor, user, role: str, organization: Organization) -> None:
    """Refuse a grant or revocation the acting user may not make (``actor`` None: the system,
    as in the demo and the tests' fixtures).

    Nobody changes their own roles; an org admin changes roles only on organisations in their
    subtrees; recruiter, editor and reviewer need a county's org admin or a superuser.
    """
    if actor is None:
        return
    if actor.pk == user.pk:
        raise ValidationError({"user": _("You cannot grant or revoke your own roles.")})
    if not organizations_managed_by(actor).filter(pk=organization.pk).exists():
        raise ValidationError(
            {"organization": _("You may only change roles within the organisations you manage.")}
        )
    if role in COUNTY_GRANTED_ROLES and not manages_a_county(actor):
        raise ValidationError(
            {
                "role": _(
                    "Only a county's organisation administrator or a superuser may grant "
                    "or revoke this role."
                )
            }
        )


def _role_log(assignment: RoleAssignment, action: str, actor) -> None:
    """Who changed which role on which organisation for whom, with the login masked."""
    user = mask_login(assignment.user.get_username())
    log(
        instance=assignment,
        action=action,
        user=actor,
        title=str(assignment),
        data={
            "user": user,
            "role": assignment.role,
            "organization": assignment.organization.name,
            "organization_id": assignment.organization_id,
        },
    )


@transaction.atomic
def role_grant(*, user, role: str, organization: Organization, actor) -> RoleAssignment:
    """Give ``user`` the role over ``organization``'s subtree, on ``actor``'s authority."""
    role_change_check(actor=actor, user=user, role=role, organization=organization)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, organization=organization
    )
    user.groups.add(role_group(role))
    if created:
        _role_log(assignment, LOG_ROLE_GRANT, actor)
    role_cache_clear(user)
    signals.roles_changed.send(sender=RoleAssignment, user=user)
    return assignment


@transaction.atomic
def role_revoke(*, user, role: str, organization: Organization, actor) -> None:
    role_change_check(actor=actor, user=user, role=role, organization=organization)
    assignments = RoleAssignment.objects.filter(user=user, role=role, organization=organization)
    for assignment in assignments.select_related("user", "organization"):
        _role_log(assignment, LOG_ROLE_REVOKE, actor)
    assignments.delete()
    if not RoleAssignment.objects.filter(user=user, role=role).exists():
        user.groups.remove(role_group(role))
    role_cache_clear(user)
    signals.roles_changed.send(sender=RoleAssignment, user=user)
