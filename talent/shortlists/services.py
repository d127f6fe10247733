"""Everything that writes to shortlists (候选名单): create, rename, delete, add and remove
candidates, and the note on an entry.

Only recruiters of the shortlist's department change it; a candidate joins only if the
recruiter may see the profile. Errors are ValidationErrors keyed by the form field.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.models import Organization
from talent.models import Shortlist, ShortlistEntry
from talent.selectors import profiles_visible_to
from talent.services import name_clean
from talent.shortlists.selectors import can_edit_shortlist, recruiting_departments

NAME_MAX_LENGTH = Shortlist._meta.get_field("name").max_length
NOTE_MAX_LENGTH = ShortlistEntry._meta.get_field("note").max_length


def _name_clean(name: str) -> str:
    missing = _("Give the shortlist a name.")
    return name_clean(name, max_length=NAME_MAX_LENGTH, missing=missing)


def _name_taken_error() -> ValidationError:
    return ValidationError({"name": _("The department already has a shortlist of this name.")})


def _department_for(user, organization: Organization | None) -> Organization:
    departments = list(recruiting_departments(user))
    if not departments:
        raise PermissionDenied
    if organization is None:
        if len(departments) > 1:
            raise ValidationError(
                {"organization": _("Choose the recruiting department the shortlist is for.")}
            )
        return departments[0]
    if organization.pk not in {department.pk for department in departments}:
        raise ValidationError({"organization": _("You do not recruit for this organisation.")})
    return organization


def _check_editable(user, shortlist: Shortlist) -> None:
    if not can_edit_shortlist(user, shortlist):
        raise PermissionDenied


def shortlist_create(*, user, name: str, organization: Organization | None = None) -> Shortlist:
    """A new shortlist of the user's department (the only one, or the one chosen)."""
    department = _department_for(user, organization)
    name = _name_clean(name)
    if Shortlist.objects.filter(organization=department, name=name).exists():
        raise _name_taken_error()
    try:
        with transaction.atomic():
            return Shortlist.objects.create(name=name, organization=department, created_by=user)
    except IntegrityError:  # the same name, created a moment ago by a colleague
        raise _name_taken_error() from None


def shortlist_rename(*, user, shortlist: Shortlist, name: str) -> Shortlist:
    _check_editable(user, shortlist)
    name = _name_clean(name)
    if name == shortlist.name:
        return shortlist
    taken = Shortlist.objects.filter(organization_id=shortlist.organization_id, name=name)
    if taken.exclude(pk=shortlist.pk).exists():
        raise _name_taken_error()
    shortlist.name = name
    try:
        with transaction.atomic():
            shortlist.save(update_fields=["name", "updated_at"])
    except IntegrityError:
        raise _name_taken_error() from None
    return shortlist


def shortlist_delete(*, user, shortlist: Shortlist) -> None:
    _check_editable(user, shortlist)
    shortlist.delete()


def _profile_ids_clean(profile_ids: Iterable) -> list[int]:
    try:
        ids = sorted({int(value) for value in profile_ids})
    except (TypeError, ValueError):
        raise ValidationError({"profiles": _("The chosen people are not valid.")}) from None
    if not ids:
        raise ValidationError({"profiles": _("Choose at least one person.")})
    return ids


@transaction.atomic
def shortlist_entries_add(*, user, shortlist: Shortlist, profile_ids: Iterable) -> int:
    """Put people on the shortlist; those already on it stay as they are. Return how many were
    added. If any of them is not a profile the user may see, nobody is added."""
    _check_editable(user, shortlist)
    ids = _profile_ids_clean(profile_ids)
    visible = set(profiles_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    if len(visible) != len(ids):
        raise ValidationError(
            {"profiles": _("Some of the chosen people are not in the pool you may search.")}
        )
    present = set(shortlist.entries.filter(profile_id__in=ids).values_list("profile_id", flat=True))
    ShortlistEntry.objects.bulk_create(
        [
            ShortlistEntry(shortlist=shortlist, profile_id=pk, added_by=user)
            for pk in ids
            if pk not in present
        ],
        ignore_conflicts=True,
    )
    added = len(ids) - len(present)
    if added:
        shortlist.save(update_fields=["updated_at"])
    return added


@transaction.atomic
def shortlist_entries_remove(*, user, shortlist: Shortlist, profile_ids: Iterable) -> int:
    """Take people off the shortlist; return how many were on it."""
    _check_editable(user, shortlist)
    ids = _profile_ids_clean(profile_ids)
    removed, _details = shortlist.entries.filter(profile_id__in=ids).delete()
    if removed:
        shortlist.save(update_fields=["updated_at"])
    return removed


def shortlist_entry_note_set(*, user, entry: ShortlistEntry, note: str) -> ShortlistEntry:
    _check_editable(user, entry.shortlist)
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("A note has at most %(limit)d characters.") % {"limit": NOTE_MAX_LENGTH}}
        )
    entry.note = note
    entry.save(update_fields=["note"])
    return entry
