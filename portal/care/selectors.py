"""What the care pages read: liaisons' members and their talks, talks due this quarter, the
care ledger and transfers, each scoped to who is asking."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery

from portal.care.models import CareCase, Liaison, Talk, Transfer
from portal.registry.models import Member, RoleAssignment
from portal.registry.selectors import members_visible_to, organizations_managed_by

User = get_user_model()


def quarter_start(day: datetime.date) -> datetime.date:
    """The first day of ``day``'s quarter: a talk is due once a quarter (一季度一谈心)."""
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _with_last_talk(members: QuerySet[Member]) -> QuerySet[Member]:
    return members.annotate(last_talk_on=Max("talks__held_on"))


def _current_pairings() -> QuerySet[Liaison]:
    return Liaison.objects.filter(ended_on__isnull=True)


# --- The liaison's phone pages ------------------------------------------------------------


def is_liaison(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return _current_pairings().filter(liaison=user).exists()


def liaison_members(user) -> QuerySet[Member]:
    """The members currently paired with ``user``, each with the date of their last talk."""
    if not user.is_authenticated or not user.is_active:
        return Member.objects.none()
    paired = _current_pairings().filter(liaison=user).values("member_id")
    members = Member.objects.filter(pk__in=paired).select_related("origin", "host")
    return _with_last_talk(members).order_by("last_talk_on", "name")


def talk_due(member: Member, today: datetime.date) -> bool:
    """Whether ``member`` (annotated with ``last_talk_on``) has had no talk this quarter."""
    return member.last_talk_on is None or member.last_talk_on < quarter_start(today)


def member_talks(member: Member, limit: int = 5) -> list[Talk]:
    return list(member.talks.select_related("talked_by")[:limit])


# --- The admin -----------------------------------------------------------------------------


def liaison_candidates(user) -> QuerySet:
    """Logins an org admin may appoint as liaison: people with a role in the organisations
    they keep, or the logins of members they keep; never anyone else's staff."""
    organizations = organizations_managed_by(user)
    with_role = RoleAssignment.objects.filter(organization__in=organizations).values("user_id")
    members = members_visible_to(user).filter(user__isnull=False).values("user_id")
    return User.objects.filter(Q(pk__in=with_role) | Q(pk__in=members), is_active=True).order_by(
        "username"
    )


def pairings_visible_to(user) -> QuerySet[Liaison]:
    return Liaison.objects.filter(member__in=members_visible_to(user)).select_related(
        "liaison", "member", "organization"
    )


def talks_visible_to(user) -> QuerySet[Talk]:
    return Talk.objects.filter(member__in=members_visible_to(user)).select_related(
        "member", "talked_by"
    )


def members_due_talk(user, today: datetime.date) -> QuerySet[Member]:
    """Members the org admin keeps who are floating or have a liaison and had no talk this
    quarter, with their current liaison's name (``liaison_name``, empty without one)."""
    current = _current_pairings().filter(member=OuterRef("pk"))
    since = quarter_start(today)
    talked = Talk.objects.filter(member=OuterRef("pk"), held_on__gte=since)
    members = members_visible_to(user).filter(
        Q(floating_status=Member.FloatingStatus.FLOATING) | Exists(current), ~Exists(talked)
    )
    last_talk = Talk.objects.filter(member=OuterRef("pk")).order_by("-held_on")
    return members.select_related("origin").annotate(
        liaison_name=Subquery(current.values("liaison__first_name")[:1]),
        liaison_username=Subquery(current.values("liaison__username")[:1]),
        last_talk_on=Subquery(last_talk.values("held_on")[:1]),
    )


def care_cases_visible_to(user) -> QuerySet[CareCase]:
    """Org admins see the cases of the members they keep; nobody else sees the ledger."""
    return CareCase.objects.filter(member__in=members_visible_to(user)).select_related(
        "member", "opened_by"
    )


def transfers_visible_to(user) -> QuerySet[Transfer]:
    """Transfers whose origin or destination the user keeps: both sides, nobody else."""
    organizations = organizations_managed_by(user)
    return Transfer.objects.filter(
        Q(source__in=organizations) | Q(destination__in=organizations)
    ).select_related("member", "source", "destination")


def transfer_members_for(user) -> QuerySet[Member]:
    """Members whose relation the user may ask to move: those whose origin they keep."""
    return Member.objects.filter(origin__in=organizations_managed_by(user))
