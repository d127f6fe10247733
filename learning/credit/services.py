"""Writing the member record's ledger: credit granted once and within the caps of the
points rules (``selectors.points_rule_for``), corrected by reversal.

Study hours are never capped: only points are. Reversals carry the activity of the entry they
undo, so a reversed grant frees its room under the caps again.
"""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.models import Member

from ..models import Activity, CreditEntry, TrackCompletion, TrackStep
from .selectors import points_rule_for, points_within_caps

STEP_ACTIVITIES = {
    TrackStep.Kind.MATERIAL: Activity.MATERIAL,
    TrackStep.Kind.LECTURE: Activity.LECTURE,
    TrackStep.Kind.QUIZ: Activity.QUIZ,
    TrackStep.Kind.READING: Activity.READING,
    TrackStep.Kind.OFFLINE: Activity.OFFLINE,
}


def credit_grant(
    *,
    member_id: int,
    source: str,
    source_key: str,
    occurred_on: datetime.date,
    activity: str = "",
    hours: Decimal = Decimal("0"),
    points: int = 0,
    deduction: int = 0,
    track_id: int | None = None,
    description: str = "",
    reason: str = "",
    author=None,
    reverses: CreditEntry | None = None,
) -> CreditEntry | None:
    """Record one entry for ``source_key``; None if the member already has it.

    The database's unique constraint decides, so two grants racing make one entry.
    """
    entry = CreditEntry(
        member_id=member_id,
        source=source,
        source_key=source_key,
        occurred_on=occurred_on,
        activity=activity,
        hours=hours,
        points=points,
        deduction=deduction,
        track_id=track_id,
        description=description[:255],
        reason=reason,
        author=author,
        reverses=reverses,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        return None
    return entry


def _withheld_note(description: str, withheld: int) -> str:
    """The description with how many points the caps withheld, in the site's language."""
    if not withheld:
        return description
    with translation.override(settings.LANGUAGE_CODE):
        note = _("%(points)s points over the cap not granted") % {"points": withheld}
    return f"{description} ({note})" if description else note


def capped_credit_grant(
    *, member: Member, activity: str, points: int, on: datetime.date, **fields
) -> CreditEntry | None:
    """Grant ``points`` for ``activity`` (with any hours, uncapped) within the caps of the
    member's points rule; None if ``source_key`` was granted before.

    The member row is locked first, so two grants at once cannot both count the room left
    under a cap before either has written.
    """
    with transaction.atomic():
        list(Member.objects.select_for_update().filter(pk=member.pk).values_list("pk"))
        if CreditEntry.objects.filter(member=member, source_key=fields["source_key"]).exists():
            return None
        rule = points_rule_for(member=member, activity=activity)
        granted = points_within_caps(member_id=member.pk, rule=rule, points=points, on=on)
        description = _withheld_note(fields.pop("description", ""), points - granted)
        return credit_grant(
            member_id=member.pk,
            activity=activity,
            points=granted,
            occurred_on=on,
            description=description,
            **fields,
        )


def step_credit_grant(*, member_id: int, step: TrackStep, on: datetime.date) -> CreditEntry | None:
    """The points a completed step earns for its kind of activity, within the caps."""
    member = Member.objects.select_related("origin").get(pk=member_id)
    activity = STEP_ACTIVITIES[step.kind]
    return capped_credit_grant(
        member=member,
        activity=activity,
        points=points_rule_for(member=member, activity=activity).points,
        on=on,
        source=CreditEntry.Source.STEP,
        source_key=f"step:{step.pk}",
        track_id=step.track_id,
        description=step.display_title,
    )


def track_credit_grant(*, completion: TrackCompletion) -> CreditEntry | None:
    """The hours and points of a completed track, once per member and track; the points
    within the track rule's caps, the hours in full."""
    member = Member.objects.select_related("origin").get(pk=completion.member_id)
    return capped_credit_grant(
        member=member,
        activity=Activity.TRACK,
        points=completion.points,
        on=timezone.localdate(completion.completed_at),
        source=CreditEntry.Source.TRACK,
        source_key=f"track:{completion.track_id}",
        hours=completion.study_hours,
        track_id=completion.track_id,
        description=completion.track_title,
    )


# --- Corrections ------------------------------------------------------------------------


def _reason_required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for this correction.")})
    return reason


def credit_reverse(*, entry: CreditEntry, reason: str, author) -> CreditEntry:
    """Undo ``entry`` with an entry of the opposite sign; each entry can be reversed once."""
    reason = _reason_required(reason)
    if entry.source == CreditEntry.Source.REVERSAL:
        raise ValidationError(
            {"entry": _("A reversal cannot be reversed; add a correction instead.")}
        )
    reversal = credit_grant(
        member_id=entry.member_id,
        source=CreditEntry.Source.REVERSAL,
        source_key=f"reversal:{entry.pk}",
        occurred_on=timezone.localdate(),
        activity=entry.activity,
        hours=-entry.hours,
        points=-entry.points,
        deduction=-entry.deduction,
        track_id=entry.track_id,
        description=entry.description,
        reason=reason,
        author=author,
        reverses=entry,
    )
    if reversal is None:
        raise ValidationError({"entry": _("This entry has already been reversed.")})
    return reversal


def credit_correct(
    *,
    member: Member,
    hours: Decimal,
    points: int,
    reason: str,
    author,
    occurred_on: datetime.date,
    deduction: int = 0,
) -> CreditEntry:
    """Add hours, points or deduction marks (or take them away, negative) by hand."""
    reason = _reason_required(reason)
    entry = CreditEntry(
        member=member,
        source=CreditEntry.Source.CORRECTION,
        source_key=f"correction:{uuid.uuid4()}",
        occurred_on=occurred_on,
        hours=Decimal(hours),
        points=points,
        deduction=deduction,
        reason=reason,
        author=author,
    )
    if not (entry.hours or entry.points or entry.deduction):
        raise ValidationError({"points": _("A correction must change hours, points or marks.")})
    entry.full_clean()
    entry.save()
    return entry
