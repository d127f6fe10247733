"""Looking after members: services that write the 1+N liaison pairings and their talks, the
care ledger (困难党员关怀), and transfers of the membership relation (组织关系转接).

Who may act on what is decided by the views' scopes (``care_selectors``); a transfer's two
sides are also checked here, because the state machine and its sides are one rule.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.care.models import CareCase, CareVisit, Liaison, Talk, Transfer, TransferStep
from portal.care.tasks import care_transfer_notify
from portal.registry.models import Member, Organization
from portal.registry.selectors import organizations_managed_by
from portal.rules.events import rules_event
from portal.whereabouts.services import member_contact_record


def _not_future(day: datetime.date | None, field: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _in_subtree(organization: Organization, member: Member) -> bool:
    paths = [org.path for org in (member.origin, member.host) if org is not None]
    return any(path.startswith(organization.path) for path in paths)


# --- 1+N liaisons and talks ----------------------------------------------------------------


def liaison_pair(
    *, liaison, member: Member, organization: Organization, started_on: datetime.date
) -> Liaison:
    """Pair ``liaison`` with ``member`` for ``organization``; a member has one current liaison."""
    if not liaison.is_active:
        raise ValidationError({"liaison": _("This login is disabled.")})
    if member.user_id == liaison.pk:
        raise ValidationError({"liaison": _("A member cannot be their own liaison.")})
    if not _in_subtree(organization, member):
        raise ValidationError(
            {"member": _("The member belongs to neither this organisation nor one below it.")}
        )
    pairing = Liaison(
        liaison=liaison, member=member, organization=organization, started_on=started_on
    )
    _not_future(started_on, "started_on")
    already = _("This member already has a liaison; end that pairing first.")
    if Liaison.objects.filter(member=member, ended_on__isnull=True).exists():
        raise ValidationError({"member": already})
    pairing.full_clean()
    try:
        with transaction.atomic():
            pairing.save()
    except IntegrityError as exc:  # paired by someone else at the same moment
        raise ValidationError({"member": already}) from exc
    return pairing


def liaison_end(*, pairing: Liaison, ended_on: datetime.date) -> Liaison:
    """End a pairing; it stays as history and the member may be paired again."""
    if pairing.ended_on is not None:
        raise ValidationError({"ended_on": _("This pairing has already ended.")})
    _not_future(ended_on, "ended_on")
    if ended_on < pairing.started_on:
        raise ValidationError({"ended_on": _("A pairing cannot end before it started.")})
    pairing.ended_on = ended_on
    pairing.full_clean()
    pairing.save(update_fields=["ended_on"])
    return pairing


def talk_record(
    *, member: Member, talked_by, held_on: datetime.date, way: str, summary: str
) -> Talk:
    """Record a talk (谈心谈话); it counts as contact with the member from the day it was held."""
    talk = Talk(member=member, talked_by=talked_by, held_on=held_on, way=way, summary=summary)
    talk.full_clean()
    _not_future(held_on, "held_on")
    with transaction.atomic():
        talk.save()
        member_contact_record(member=member, on=talk.held_on, user=talked_by)
    return talk


# --- The care ledger ------------------------------------------------------------------------

AMOUNT_POSITIVE_MESSAGE = gettext_lazy("Leave the money empty or give an amount above 0.")


def care_case_open(
    *, member: Member, hardship: str, description: str, opened_on: datetime.date, opened_by
) -> CareCase:
    case = CareCase(
        member=member,
        hardship=hardship,
        description=description,
        opened_on=opened_on,
        opened_by=opened_by,
    )
    case.full_clean()
    _not_future(opened_on, "opened_on")
    if CareCase.objects.filter(member=member, hardship=hardship, closed_on__isnull=True).exists():
        raise ValidationError({"hardship": _("This member already has an open case of this kind.")})
    case.save()
    return case


def care_visit_record(
    *,
    case: CareCase,
    visited_on: datetime.date,
    visitors: str,
    help_given: str,
    amount: Decimal | None,
    recorded_by,
) -> CareVisit:
    if case.closed_on is not None:
        raise ValidationError(_("This case is closed; open a new one."))
    visit = CareVisit(
        case=case,
        visited_on=visited_on,
        visitors=visitors,
        help_given=help_given,
        amount=amount,
        recorded_by=recorded_by,
    )
    _not_future(visited_on, "visited_on")
    if visited_on and visited_on < case.opened_on:
        raise ValidationError({"visited_on": _("The visit cannot be before the case opened.")})
    if amount is not None and amount <= 0:
        raise ValidationError({"amount": AMOUNT_POSITIVE_MESSAGE})
    visit.full_clean()
    visit.save()
    return visit


def care_case_close(*, case: CareCase, closed_on: datetime.date) -> CareCase:
    if case.closed_on is not None:
        raise ValidationError({"closed_on": _("This case is already closed.")})
    _not_future(closed_on, "closed_on")
    last_visit = case.visits.aggregate(last=Max("visited_on"))["last"]
    if closed_on < max(filter(None, [case.opened_on, last_visit])):
        raise ValidationError(
            {"closed_on": _("A case cannot close before it opened or before its last visit.")}
        )
    case.closed_on = closed_on
    case.save(update_fields=["closed_on"])
    return case


# --- Transfers of the membership relation ---------------------------------------------------

# Which state each action leads from, and to; anything else is refused.
TRANSFER_MOVES = {
    Transfer.State.ACCEPTED: Transfer.State.SUBMITTED,
    Transfer.State.REJECTED: Transfer.State.SUBMITTED,
    Transfer.State.COMPLETED: Transfer.State.ACCEPTED,
}
# The side whose org admins take each step: the destination decides whether it receives the
# member; the origin holds the relation, so it submits and, once accepted, completes (it
# issues the letter of introduction, 介绍信, that moves the relation).
TRANSFER_SIDES = {
    Transfer.State.SUBMITTED: "source",
    Transfer.State.ACCEPTED: "destination",
    Transfer.State.REJECTED: "destination",
    Transfer.State.COMPLETED: "source",
}
DESTINATION_KINDS = (Organization.Kind.BRANCH, Organization.Kind.GENERAL_BRANCH)


def transfer_side_allowed(*, transfer: Transfer, user, state: str) -> bool:
    """Whether ``user`` keeps the side of ``transfer`` that moves it to ``state``."""
    organization_id = getattr(transfer, f"{TRANSFER_SIDES[state]}_id")
    return organizations_managed_by(user).filter(pk=organization_id).exists()


def _transfer_check_destination(member: Member, destination: Organization) -> None:
    # Member.clean keeps the origin on the home side: a relation moving to a host-city
    # organisation leaves the county's ledger, which this ledger does not record.
    if destination.is_host:
        raise ValidationError(
            {"destination": _("The relation can only move to a home-side branch.")}
        )
    if destination.kind not in DESTINATION_KINDS:
        raise ValidationError(
            {"destination": _("Choose a branch or general branch: it holds the relation.")}
        )
    if destination.pk == member.origin_id:
        raise ValidationError({"destination": _("The member already belongs to this branch.")})


@transaction.atomic
def transfer_submit(*, member: Member, destination: Organization, reason: str, user) -> Transfer:
    """The origin side asks to move ``member``'s relation to ``destination``."""
    if not organizations_managed_by(user).filter(pk=member.origin_id).exists():
        raise PermissionDenied
    _transfer_check_destination(member, destination)
    transfer = Transfer(member=member, source_id=member.origin_id, destination=destination)
    transfer.reason = reason
    transfer.full_clean(validate_constraints=False)
    already = _("This member already has a transfer under way.")
    if Transfer.objects.filter(member=member, state__in=TRANSFER_MOVES.values()).exists():
        raise ValidationError({"member": already})
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError as exc:  # submitted by someone else at the same moment
        raise ValidationError({"member": already}) from exc
    _transfer_step(transfer, Transfer.State.SUBMITTED, user, reason)
    return transfer


def _transfer_move(*, transfer: Transfer, state: str, user, comment: str) -> Transfer:
    # The row lock makes two admins acting at once take turns; the second sees the new state.
    locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if locked.state != TRANSFER_MOVES[state]:
        raise ValidationError(
            _("This transfer is %(state)s; it cannot be %(action)s.")
            % {"state": locked.get_state_display(), "action": Transfer.State(state).label}
        )
    if not transfer_side_allowed(transfer=locked, user=user, state=state):
        raise PermissionDenied
    locked.state = state
    locked.save(update_fields=["state"])
    _transfer_step(locked, state, user, comment)
    transfer.state = state
    return locked


def _transfer_step(transfer: Transfer, state: str, user, comment: str) -> None:
    step = TransferStep(transfer=transfer, state=state, actor=user, comment=comment)
    step.full_clean(exclude=["transfer"])
    step.save()
    transfer_id = transfer.pk
    transaction.on_commit(lambda: _transfer_notify_enqueue(transfer_id, state))


def _transfer_notify_enqueue(transfer_id: int, state: str) -> None:
    care_transfer_notify.delay(transfer_id, state)
    rules_event(
        f"transfer_{state}", event_key=f"transfer:{transfer_id}:{state}", transfer_id=transfer_id
    )


@transaction.atomic
def transfer_accept(*, transfer: Transfer, user, comment: str = "") -> Transfer:
    return _transfer_move(
        transfer=transfer, state=Transfer.State.ACCEPTED, user=user, comment=comment
    )


@transaction.atomic
def transfer_reject(*, transfer: Transfer, user, reason: str) -> Transfer:
    if not reason.strip():
        raise ValidationError({"comment": _("Say why the transfer is rejected.")})
    return _transfer_move(
        transfer=transfer, state=Transfer.State.REJECTED, user=user, comment=reason
    )


@transaction.atomic
def transfer_complete(*, transfer: Transfer, user, comment: str = "") -> Transfer:
    """Complete an accepted transfer: the member's origin becomes the destination."""
    locked = _transfer_move(
        transfer=transfer, state=Transfer.State.COMPLETED, user=user, comment=comment
    )
    member = Member.objects.select_for_update().get(pk=locked.member_id)
    if member.origin_id != locked.source_id:
        raise ValidationError(_("The member's origin branch changed since the request."))
    member.origin_id = locked.destination_id
    member.full_clean()
    member.save(update_fields=["origin", "updated_at"])
    return locked
