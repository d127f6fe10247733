"""Red packages (红色包裹) reaching members: requests, stock, dispatch and receipt.

Who may do what (docs/architecture.md, "Red packages"):

- A member requests a package the page says they may have (``package_refusal``); a
  secretary assigns one to members they keep (``members_visible_to``, dual management).
- Stock is kept by the editors and org admins of the package's section organisation or of
  an organisation above it: whoever publishes the package restocks it.
- A package is dispatched by the org admins who keep the member (origin or host side): they
  know where the member is, and the ledger (台账) is theirs.

Stock only moves by conditional ``UPDATE`` statements in the transaction that records why,
so two requests for the last package cannot both take it.
"""

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.content.models import RedPackagePage
from portal.parcels.models import RedPackageRequest, RedPackageStock, StockMovement
from portal.parcels.selectors import (
    package_open_request,
    package_refusal,
    requests_dispatchable_by,
    shipping_initial,
)
from portal.parcels.tasks import red_package_dispatch_notify
from portal.registry.identity import phone_normalize, validate_phone
from portal.registry.member_fragments import member_fragments_forget, stock_fragments_forget
from portal.registry.models import Member
from portal.registry.selectors import (
    members_visible_to,
)
from portal.rules.events import rules_event
from portal.signals import red_package_received

State = RedPackageRequest.State


def _already_asked(member: Member) -> str:
    message = _("%(name)s has already asked for this red package.")
    return message % {"name": member.name}


# Courier waybills: EMS "EA123456789CN", SF "SF1234567890123", most others 10-15 digits.
TRACKING_PATTERN = re.compile(r"^[A-Z]{0,4}\d{8,20}[A-Z]{0,2}$")
COURIERS = ("中国邮政EMS", "顺丰速运", "京东物流", "中通快递", "圆通速递", "韵达快递", "申通快递")
ADDRESS_MIN_CHARS = 6


# --- Who may have a package ------------------------------------------------------------


# --- Requests ----------------------------------------------------------------------------


def _stock_take(package: RedPackagePage) -> None:
    """One package out of stock, or a refusal when none is left: the condition and the
    decrement are one statement, so concurrent requests queue on the row's lock."""
    taken = RedPackageStock.objects.filter(package=package, available__gt=0).update(
        available=F("available") - 1, updated_at=timezone.now()
    )
    if not taken:
        raise ValidationError({"package": _("This red package is out of stock.")})
    stock_fragments_forget()


def _shipping_clean(*, recipient: str, phone: str, address: str) -> dict:
    recipient, address, phone = recipient.strip(), address.strip(), phone_normalize(phone)
    errors = {}
    if not recipient:
        errors["recipient"] = _("Say who receives the package.")
    try:
        validate_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if len("".join(address.split())) < ADDRESS_MIN_CHARS:
        errors["address"] = _("Give the full address: city, street, building and room.")
    if errors:
        raise ValidationError(errors)
    return {"recipient": recipient, "phone": phone, "address": address}


def package_request_create(
    *,
    package: RedPackagePage,
    member: Member,
    recipient: str,
    phone: str,
    address: str,
    user,
    source: str = RedPackageRequest.Source.REQUESTED,
) -> RedPackageRequest:
    """Ask for one package for ``member`` and take it from stock, all or nothing.

    Refused when the member may not have it, already has an open request for it, or none is
    left; the database's one-open-request constraint settles two requests at once.
    """
    refusal = package_refusal(package=package, member=member)
    if refusal:
        raise ValidationError({"package": refusal})
    request = RedPackageRequest(
        package=package,
        member=member,
        source=source,
        requested_by=user,
        **_shipping_clean(recipient=recipient, phone=phone, address=address),
    )
    request.full_clean(validate_constraints=False)
    if package_open_request(package=package, member=member):
        raise ValidationError({"package": _already_asked(member)})
    try:
        with transaction.atomic():
            _stock_take(package)
            request.save()
            rules_event(
                "package_requested",
                event_key=f"package_requested:{request.pk}",
                request_id=request.pk,
            )
    except IntegrityError:  # the same member's request at the same moment
        raise ValidationError({"package": _already_asked(member)}) from None
    return request


def package_assign(
    *, package: RedPackagePage, members: Iterable[Member], user
) -> tuple[list[RedPackageRequest], dict[Member, str]]:
    """A secretary sends the package to members they keep, to the address on record.

    Each member is one request of its own: one refused (not kept, not eligible, no address,
    already has it, out of stock) does not stop the others. Returns the requests made and
    why each other member was refused.
    """
    kept = set(
        members_visible_to(user).filter(pk__in=[m.pk for m in members]).values_list("pk", flat=True)
    )
    made, refused = [], {}
    for member in members:
        if member.pk not in kept:
            refused[member] = _("You do not keep this member.")
            continue
        try:
            made.append(
                package_request_create(
                    package=package,
                    member=member,
                    user=user,
                    source=RedPackageRequest.Source.ASSIGNED,
                    **shipping_initial(member),
                )
            )
        except ValidationError as exc:
            refused[member] = " ".join(exc.messages)
    return made, refused


def package_request_cancel(*, request: RedPackageRequest, reason: str = "") -> None:
    """Cancel a request still waiting to be sent, and put its package back in stock."""
    with transaction.atomic():
        cancelled = RedPackageRequest.objects.filter(pk=request.pk, state=State.WAITING).update(
            state=State.CANCELLED, cancelled_at=timezone.now(), cancel_reason=reason[:200]
        )
        if not cancelled:
            raise ValidationError(_("Only a request still waiting to be sent can be cancelled."))
        RedPackageStock.objects.filter(package_id=request.package_id).update(
            available=F("available") + 1, updated_at=timezone.now()
        )
        stock_fragments_forget()
        member_fragments_forget(request.member_id)
    request.refresh_from_db()


# --- Dispatch and receipt ----------------------------------------------------------------


def tracking_number_normalize(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "").upper()


def _dispatch_clean(*, courier: str, tracking_number: str) -> tuple[str, str]:
    courier, tracking_number = courier.strip(), tracking_number_normalize(tracking_number)
    errors = {}
    if not courier:
        errors["courier"] = _("Name the courier.")
    if not tracking_number:
        errors["tracking_number"] = _("Enter the tracking number.")
    elif not TRACKING_PATTERN.match(tracking_number):
        errors["tracking_number"] = _(
            "A tracking number is 8 to 20 digits, with the courier's letters before or after "
            "(such as SF1234567890123 or EA123456789CN)."
        )
    if errors:
        raise ValidationError(errors)
    return courier[:50], tracking_number


def package_request_dispatch(
    *, request: RedPackageRequest, courier: str, tracking_number: str, user
) -> RedPackageRequest:
    """Record that the package left, with its courier and tracking number; the member is
    told once the record is committed. A request no longer waiting is refused."""
    courier, tracking_number = _dispatch_clean(courier=courier, tracking_number=tracking_number)
    with transaction.atomic():
        sent = RedPackageRequest.objects.filter(pk=request.pk, state=State.WAITING).update(
            state=State.DISPATCHED,
            courier=courier,
            tracking_number=tracking_number,
            dispatched_at=timezone.now(),
            dispatched_by=user,
        )
        if not sent:
            raise ValidationError(_("This request is no longer waiting to be sent."))
        member_fragments_forget(request.member_id)
        transaction.on_commit(lambda: _dispatch_notify_enqueue(request.pk))
        rules_event(
            "package_dispatched",
            event_key=f"package_dispatched:{request.pk}",
            request_id=request.pk,
        )
    request.refresh_from_db()
    return request


def _dispatch_notify_enqueue(request_id: int) -> None:
    red_package_dispatch_notify.delay(request_id)


def package_request_receive(*, request: RedPackageRequest, member: Member) -> RedPackageRequest:
    """The member confirms the package arrived. Once committed, ``red_package_received`` is
    sent (learning assigns the package's reading track). Confirming twice changes nothing."""
    if request.member_id != member.pk:
        raise ValidationError(_("Only the member it was sent to can confirm receipt."))
    with transaction.atomic():
        received = RedPackageRequest.objects.filter(pk=request.pk, state=State.DISPATCHED).update(
            state=State.RECEIVED, received_at=timezone.now()
        )
        if received:
            member_fragments_forget(request.member_id)
            rules_event(
                "package_received",
                event_key=f"package_received:{request.pk}",
                request_id=request.pk,
            )
            transaction.on_commit(
                lambda: red_package_received.send(
                    sender=RedPackageRequest,
                    request_id=request.pk,
                    member_id=request.member_id,
                    package_id=request.package_id,
                )
            )
        elif not RedPackageRequest.objects.filter(pk=request.pk, state=State.RECEIVED).exists():
            raise ValidationError(_("This package has not been sent yet."))
    request.refresh_from_db()
    return request


# --- Stock by hand -----------------------------------------------------------------------


def package_stock_move(*, package: RedPackagePage, change: int, reason: str, user) -> StockMovement:
    """Restock (a positive change) or correct the count, with why and by whom.

    The stock row moves by the same conditional update as requests, so a correction never
    takes the stock below nothing, whatever requests run at the same time.
    """
    movement = StockMovement(package=package, change=change, reason=reason.strip(), made_by=user)
    movement.full_clean()
    if change == 0:
        raise ValidationError({"change": _("Enter how many packages come in (or go out).")})
    with transaction.atomic():
        RedPackageStock.objects.get_or_create(package=package)
        moved = RedPackageStock.objects.filter(
            package=package, available__gte=max(0, -change)
        ).update(available=F("available") + change, updated_at=timezone.now())
        if not moved:
            message = _("Only %(count)d packages are in stock: the stock cannot go below zero.")
            raise ValidationError({"change": message % {"count": package.available}})
        stock_fragments_forget()
        movement.save()
    return movement


# --- Reading for views -------------------------------------------------------------------


def packages_dispatch_many(
    *, tracking_numbers: dict[int, str], courier: str, user
) -> tuple[int, dict[int, list[str]]]:
    """Dispatch several of the user's waiting requests with one courier: ``tracking_numbers``
    maps a request id to its number; blank numbers are left waiting. Each request is its own
    transaction, so one bad number holds back only its own package."""
    requests = requests_dispatchable_by(user).in_bulk(list(tracking_numbers))
    sent, errors = 0, {}
    for pk, number in tracking_numbers.items():
        if not number.strip():
            continue
        if pk not in requests:
            errors[pk] = [_("You do not keep this member.")]
            continue
        try:
            package_request_dispatch(
                request=requests[pk], courier=courier, tracking_number=number, user=user
            )
        except ValidationError as exc:
            errors[pk] = exc.messages
        else:
            sent += 1
    return sent, errors


# --- Counts for the admin home: sent and delivered, by organisation and period -----------
