"""Everything that writes to the talent pool: profiles, consent, the negative list and the
signals copied from the member record."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.models import AnnualAssessment, CreditEntry, TrackCompletion, TrackPage
from talent.models import NegativeListEntry, TalentProfile

# Fields a caller may set on a profile; the record's signals are computed, never typed in.
EDITABLE_FIELDS = (
    "member",
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "hometown_township",
    "hometown_village",
    "current_city",
    "employer",
    "industry",
    "occupation",
    "education",
    "venture",
    "venture_employees",
    "honours",
    "trainings",
    "willingness",
    "roles",
    "self_introduction",
)


def name_clean(name: str, *, max_length: int, missing: str) -> str:
    """A name a recruiter gives (a shortlist, a saved search), stripped; ``missing`` is the
    error when there is none."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": missing})
    if len(name) > max_length:
        raise ValidationError(
            {"name": _("A name has at most %(limit)d characters.") % {"limit": max_length}}
        )
    return name


def _profile_apply(profile: TalentProfile, fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"skills"}
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in sorted(unknown)})
    for name, value in fields.items():
        if name != "skills":
            setattr(profile, name, value)
    profile.full_clean()


@transaction.atomic
def profile_create(*, skills: list[str] | None = None, **fields) -> TalentProfile:
    """Create a profile; a member's joins the pool only once their consent is recorded."""
    profile = TalentProfile()
    _profile_apply(profile, fields)
    profile.save()
    if skills:
        profile.skills.set(skills)
    if profile.member_id:
        profile_signals_refresh(profile_id=profile.pk)
    return profile


@transaction.atomic
def profile_update(*, profile: TalentProfile, skills: list[str] | None = None, **fields) -> bool:
    """Change a profile; return whether anything changed (the import counts unchanged rows)."""
    before = _profile_snapshot(profile)
    _profile_apply(profile, fields)
    old_skills = sorted(profile.skills.names())
    changed = _profile_snapshot(profile) != before
    if changed:
        profile.save()
    if skills is not None and sorted(skills) != old_skills:
        profile.skills.set(skills)
        changed = True
    return changed


def _profile_snapshot(profile: TalentProfile) -> tuple:
    names = [
        f if f not in ("member", "hometown_township", "hometown_village") else f"{f}_id"
        for f in EDITABLE_FIELDS
    ]
    return tuple(str(getattr(profile, name)) for name in names)


def consent_record(*, profile: TalentProfile) -> TalentProfile:
    """The member agreed to be in the pool: the profile becomes visible to recruiters."""
    if not profile.member_id:
        raise ValidationError({"member": _("Consent is recorded only for a member's profile.")})
    profile.consented_at = timezone.now()
    profile.consent_withdrawn_at = None
    profile.save(update_fields=["consented_at", "consent_withdrawn_at", "updated_at"])
    return profile


def consent_withdraw(*, profile: TalentProfile) -> TalentProfile:
    """The member withdrew: the profile leaves the pool at once."""
    if not profile.member_id or not profile.consented_at:
        raise ValidationError({"consented_at": _("There is no consent to withdraw.")})
    profile.consent_withdrawn_at = timezone.now()
    profile.save(update_fields=["consent_withdrawn_at", "updated_at"])
    return profile


@transaction.atomic
def negative_entry_add(
    *, profile: TalentProfile, reason: str, added_by=None, added_on: datetime.date | None = None
) -> NegativeListEntry:
    entry = NegativeListEntry(
        profile=profile,
        reason=reason,
        added_by=added_by,
        added_on=added_on or timezone.localdate(),
    )
    entry.full_clean()
    entry.save()
    _negative_flag_refresh(profile)
    return entry


@transaction.atomic
def negative_entry_lift(
    *, entry: NegativeListEntry, lifted_on: datetime.date | None = None
) -> NegativeListEntry:
    if entry.lifted_on:
        raise ValidationError({"lifted_on": _("This sanction was already lifted.")})
    entry.lifted_on = lifted_on or timezone.localdate()
    entry.full_clean()
    entry.save(update_fields=["lifted_on"])
    _negative_flag_refresh(entry.profile)
    return entry


def _negative_flag_refresh(profile: TalentProfile) -> None:
    profile.on_negative_list = profile.negative_entries.filter(lifted_on__isnull=True).exists()
    profile.save(update_fields=["on_negative_list", "updated_at"])


def profile_signals_refresh(*, profile_id: int) -> bool:
    """Recompute the record's signals on a member's profile; return whether they changed.

    Recomputed from the ledger each time, so running it twice or late does no harm.
    """
    profile = TalentProfile.objects.filter(pk=profile_id, member__isnull=False).first()
    if profile is None:
        return False
    signals = _record_signals(profile.member_id)
    if all(getattr(profile, name) == value for name, value in signals.items()):
        return False
    for name, value in signals.items():
        setattr(profile, name, value)
    profile.save(update_fields=[*signals, "updated_at"])
    return True


def _record_signals(member_id: int) -> dict:
    year = timezone.localdate().year
    hours = CreditEntry.objects.filter(member_id=member_id, occurred_on__year=year).aggregate(
        total=Sum("hours")
    )["total"]
    latest = (
        AnnualAssessment.objects.filter(member_id=member_id, confirmed_at__isnull=False)
        .exclude(grade="")
        .order_by("-year")
        .values_list("grade", flat=True)
        .first()
    )
    trained = TrackCompletion.objects.filter(
        member_id=member_id, track_kind=TrackPage.Kind.RESERVE_CADRE
    ).exists()
    return {
        "study_hours_this_year": Decimal(hours or 0),
        "latest_grade": latest or "",
        "reserve_cadre_trained": trained,
    }
