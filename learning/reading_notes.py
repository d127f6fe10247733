"""The red-package reading step: completed by the member's reading note (读书心得)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Member

from .completion import step_complete
from .models import StepProgress, TrackStep
from .progress import progress_locked


def reading_note_min_chars() -> int:
    return settings.LEARNING_READING_NOTE_MIN_CHARS


def reading_note_submit(*, member: Member, step: TrackStep, note: str) -> StepProgress:
    """Complete a red-package reading step with the member's reading note (读书心得).

    The step must be one of the member's (``step_for_member``); a note shorter than
    LEARNING_READING_NOTE_MIN_CHARS characters is refused. A later note replaces the text
    but credits nothing again.
    """
    if step.kind != TrackStep.Kind.READING:
        raise ValidationError({"note": _("This step is not completed with a reading note.")})
    note = note.strip()
    minimum = reading_note_min_chars()
    if len("".join(note.split())) < minimum:
        message = _("Write at least %(count)d characters about what you read.")
        raise ValidationError({"note": message % {"count": minimum}})
    now = timezone.now()
    with transaction.atomic():
        progress = progress_locked(member, step, now)
        progress.note = note
        progress.full_clean(exclude=["member", "step"])
        progress.save(update_fields=["note"])
        if progress.completed_at is None:
            step_complete(progress=progress, at=now)
    return progress
