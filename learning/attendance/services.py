"""Offline sessions (集中学习): the secretary records who attended, and those present get the
step's credit as if they had completed it online.

Credit once granted stays: un-ticking a member later records the absence but leaves the
ledger alone (entries are immutable; a reversal corrects them, see learning/credit/services.py).
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import OfflineAttendance, StepProgress, TrackStep
from ..progress.services import step_complete
from ..versions import member_learning_changed
from .selectors import attendance_members, offline_steps_for, session_held


def _check(step: TrackStep, user, present: set[int], listed: set[int]) -> None:
    if not offline_steps_for(user).filter(pk=step.pk).exists():
        raise ValidationError({"step": _("Choose an offline session of a track you keep.")})
    if not session_held(step):
        raise ValidationError({"step": _("The session has not taken place yet.")})
    allowed = set(
        attendance_members(step=step, user=user)
        .filter(pk__in=listed | present)
        .values_list("pk", flat=True)
    )
    if not present | listed <= allowed:
        message = _("Some of the members ticked are not assigned this track in your organisations.")
        raise ValidationError({"members": message})


def _attendance_save(step: TrackStep, user, present: set[int], listed: set[int]) -> None:
    existing = {
        a.member_id: a for a in OfflineAttendance.objects.filter(step=step, member_id__in=listed)
    }
    new, changed = [], []
    for member_id in listed:
        attended = member_id in present
        row = existing.get(member_id)
        if row is None:
            new.append(
                OfflineAttendance(
                    step=step, member_id=member_id, attended=attended, recorded_by=user
                )
            )
        elif row.attended != attended:
            row.attended, row.recorded_by = attended, user
            changed.append(row)
    OfflineAttendance.objects.bulk_create(new)
    OfflineAttendance.objects.bulk_update(changed, ["attended", "recorded_by"])
    # Bulk writes send no signal: the members' kept pages (learning/versions.py) are stale.
    member_learning_changed([row.member_id for row in (*new, *changed)])


def _present_credit(step: TrackStep, member_id: int) -> bool:
    """Complete the step for one member present, as the player completes an online step."""
    progress, _created = StepProgress.objects.get_or_create(
        member_id=member_id, step=step, defaults={"opened_at": step.session_starts_at}
    )
    progress = StepProgress.objects.select_for_update().select_related("step").get(pk=progress.pk)
    return step_complete(progress=progress, at=step.session_starts_at)


def attendance_record(
    *,
    step: TrackStep,
    member_ids_present: Iterable[int],
    user,
    member_ids_listed: Iterable[int] | None = None,
) -> int:
    """Record who attended the session among the members listed (by default every member
    the secretary keeps who has the track) and credit those present.

    Returns how many members the step was newly completed for. Running it again with the same
    ticks changes nothing.
    """
    present = {int(pk) for pk in member_ids_present}
    if member_ids_listed is None:
        listed = set(attendance_members(step=step, user=user).values_list("pk", flat=True))
    else:
        listed = {int(pk) for pk in member_ids_listed}
    listed |= present
    _check(step, user, present, listed)
    completed = 0
    with transaction.atomic():
        _attendance_save(step, user, present, listed)
        for member_id in sorted(present):
            completed += _present_credit(step, member_id)
    return completed
