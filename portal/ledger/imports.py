"""Importing the member ledger: validate every row first, then write all of it or nothing.

Pass one reads the file a row at a time, turns each row into a Member (the one with that ID
number when it exists) and runs the model's ``full_clean``; rows that would change something
are spooled to a temporary file. Only when no row failed does pass two write the spool in one
transaction with bulk inserts and updates. Memory stays bounded whatever the file's size:
one chunk of rows, the ID and phone numbers seen (to catch duplicates), and capped errors.
"""

import datetime
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.ledger import jobs
from portal.ledger.cells import (
    GENDER_WORDS,
    STATUS_WORDS,
    cell_choice,
    cell_date,
    cell_id_number,
    cell_plain,
    cell_text,
    id_number_key,
)
from portal.ledger.files import (
    LEDGER_FIELDS,
    LedgerFileError,
    file_size,
    ledger_rows,
    too_big_message,
)
from portal.ledger.jobs import NoProgress, Progress
from portal.ledger.models import Job
from portal.registry.identity import phone_normalize
from portal.registry.member_fragments import registry_fragments_forget
from portal.registry.models import Member, Organization
from portal.registry.selectors import organizations_managed_by

CHUNK = 1000
MAX_REPORTED_ERRORS = 200
# An empty cell here keeps what the ledger has (or the default, or what the ID number says).
KEEP_WHEN_BLANK = {"gender", "floating_status"}
WRITE_FIELDS = [f for f in LEDGER_FIELDS if f not in ("origin", "host")] + ["origin", "host"]


@dataclass
class ImportReport:
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0  # rows and fields in error, beyond the reported cap too

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, row: int | None, field_name: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(ledger_error(row, field_name, message))


def ledger_error(row: int | None, field_name: str, message: str, *, label=None) -> dict:
    """One error as stored on a job: {"row", "field", "label", "message", "text"}; an error
    of the whole file (``row`` None) is its message alone. ``label`` names the field (the
    member's field's name when not given)."""
    if label is None:
        label = str(Member._meta.get_field(field_name).verbose_name) if field_name else ""
    if row and label:
        text = _("Row %(row)s, %(field)s: %(message)s")
    elif row:
        text = _("Row %(row)s: %(message)s")
    else:
        text = "%(message)s"
    text %= {"row": row, "field": label, "message": message}
    return {"row": row, "field": field_name, "label": label, "message": message, "text": text}


def members_import(
    *,
    file: IO[bytes],
    name: str,
    user=None,
    progress: Progress | None = None,
    before_commit: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import a ledger file; with ``user``, only into the organisations that user keeps.

    Returns the report; nothing is written unless every row is valid. ``before_commit`` runs
    inside the writing transaction (a job marks itself done there, atomically with the data).
    """
    progress = progress or NoProgress()
    report = ImportReport()
    if file_size(file) > settings.LEDGER_IMPORT_MAX_BYTES:
        report.add_error(None, "", too_big_message(settings.LEDGER_IMPORT_MAX_BYTES))
        return report
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        try:
            RowValidator(user=user, report=report, spool=spool, progress=progress).run(
                ledger_rows(file, name=name, max_rows=settings.LEDGER_IMPORT_MAX_ROWS)
            )
        except LedgerFileError as exc:
            report.errors, report.error_count = [], 0
            report.add_error(None, "", exc.message)
        if report.ok:
            spool.seek(0)
            _write(spool, report=report, progress=progress, before_commit=before_commit)
    return report


class RowValidator:
    """Pass one: every row through the model's validation, duplicates and scope checked."""

    def __init__(self, *, user, report: ImportReport, spool: IO[str], progress: Progress):
        self.user, self.report, self.spool, self.progress = user, report, spool, progress
        self.seen_ids: dict[str, int] = {}
        self.seen_phones: dict[str, int] = {}
        organizations = list(Organization.objects.only("id", "code", "name", "level", "path"))
        self.by_code = {o.code.lower(): o for o in organizations}
        self.by_name: dict[str, list[Organization]] = {}
        for organization in organizations:
            self.by_name.setdefault(organization.name, []).append(organization)
        kept = organizations_managed_by(user) if user is not None else Organization.objects.all()
        self.kept_ids = set(kept.values_list("id", flat=True))

    def run(self, rows: Iterator[tuple[int, dict]]) -> None:
        self.progress.phase("validate")
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == CHUNK:
                self._chunk(chunk)
                chunk = []
        self._chunk(chunk)

    def _chunk(self, chunk: list[tuple[int, dict]]) -> None:
        if not chunk:
            return
        ids = {id_number_key(r.get("id_number")) for _n, r in chunk}
        existing = {m.id_number: m for m in Member.objects.filter(id_number__in=ids)}
        phones = {phone_normalize(cell_text(r.get("phone"))) for _n, r in chunk}
        phone_owner = {
            phone: (id_number, origin_id)
            for phone, id_number, origin_id in Member.objects.filter(phone__in=phones).values_list(
                "phone", "id_number", "origin_id"
            )
        }
        for number, record in chunk:
            self._row(number, record, existing, phone_owner)
        self.progress.advance(len(chunk))

    def _row(self, number: int, record: dict, existing: dict, phone_owner: dict) -> None:
        self.report.rows += 1
        errors: dict[str, str] = {}
        values = self._parse(record, errors)
        member = existing.get(values.get("id_number", ""))
        before = _snapshot(member) if member else None
        if member is not None and member.origin_id not in self.kept_ids:
            # Says no more than that the row cannot be taken: not where the person is kept.
            errors["id_number"] = _(
                "This person cannot be imported here: ask the county organisation department."
            )
            member = None
        member = member or Member()
        for name, value in values.items():
            if value != "" or name not in KEEP_WHEN_BLANK:
                setattr(member, name, value)
        member.fill_from_id_number()
        self._model_errors(member, errors)
        self._unique_errors(number, member, phone_owner, errors)
        if errors:
            for name, message in errors.items():
                self.report.add_error(number, name, message)
            return
        self._classify(member, before)

    def _parse(self, record: dict, errors: dict) -> dict:
        values = {}
        for name, raw in record.items():
            try:
                parse = getattr(self, name) if name in ("origin", "host") else PARSERS[name]
                values[name] = parse(raw)
            except ValidationError as exc:
                errors[name] = " ".join(exc.messages)
        return values

    def _model_errors(self, member: Member, errors: dict) -> None:
        # Organisations were looked up here already; the model's own FK check would query
        # once per row. Member.clean still checks origin is home-side and host host-side.
        try:
            member.full_clean(
                exclude=["origin", "host", "user", *errors],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                key = "" if name == "__all__" else name
                errors.setdefault(key, " ".join(messages))
        if "id_number" in errors:  # blank only because the ID number could not say them
            for derived in ("gender", "birth_date"):
                if not getattr(member, derived):
                    errors.pop(derived, None)
        if not member.origin_id and "origin" not in errors:
            errors["origin"] = _("Give the origin branch's code or full name.")

    def _unique_errors(self, number: int, member: Member, phone_owner, errors: dict) -> None:
        for name, seen in (("id_number", self.seen_ids), ("phone", self.seen_phones)):
            value = getattr(member, name)
            if name in errors or not value:
                continue
            if value in seen:
                errors[name] = _("The same number is already on row %(row)s.") % {
                    "row": seen[value]
                }
            else:
                seen[value] = number
        owner, owner_origin = phone_owner.get(member.phone, (None, None))
        if "phone" not in errors and owner and owner != member.id_number:
            # Whose number it is, and that it is anyone's, only for members the importer keeps.
            if owner_origin in self.kept_ids:
                errors["phone"] = _("This phone number is registered for another member.")
            else:
                errors["phone"] = _(
                    "This phone number cannot be used here: ask the county organisation department."
                )

    def _classify(self, member: Member, before: dict | None) -> None:
        after = _snapshot(member)
        if before is not None and after == before:
            self.report.unchanged += 1
            return
        if before is None:
            self.report.new += 1
        else:
            self.report.updated += 1
        self.spool.write(json.dumps({"pk": member.pk, "values": after}) + "\n")

    # --- cell parsers: raise ValidationError with what the user should fix -------------

    def origin(self, raw) -> Organization:
        organization = self._organization(raw)
        if organization.id not in self.kept_ids:
            raise ValidationError(_("This is not an organisation you keep."))
        return organization

    def host(self, raw) -> Organization | None:
        return self._organization(raw) if cell_text(raw) else None

    def _organization(self, raw) -> Organization:
        text = cell_text(raw)
        if not text:
            raise ValidationError(_("Give the organisation's code or full name."))
        found = self.by_code.get(text.lower())
        if found:
            return found
        named = self.by_name.get(text, [])
        if len(named) > 1:
            raise ValidationError(_("Several organisations have this name: give its code."))
        if not named:
            raise ValidationError(_("No organisation has this code or name."))
        return named[0]


PARSERS: dict[str, Callable] = {
    "name": cell_plain,
    "gender": cell_choice(GENDER_WORDS, Member.Gender),
    "birth_date": cell_date,
    "id_number": cell_id_number,
    "phone": lambda raw: phone_normalize(cell_text(raw)),
    "joined_party_on": cell_date,
    "floating_status": cell_choice(STATUS_WORDS, Member.FloatingStatus),
    "floating_since": cell_date,
    "host_city": cell_plain,
    "employer": cell_plain,
    "address": cell_plain,
}


def _snapshot(member: Member) -> dict:
    """What the ledger holds for a member, in JSON terms (compared, then spooled)."""
    values = {}
    for name in WRITE_FIELDS:
        if name in ("origin", "host"):
            values[f"{name}_id"] = getattr(member, f"{name}_id")
        else:
            value = getattr(member, name)
            values[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return values


# --- Pass two: write --------------------------------------------------------------------


def _write(spool: IO[str], *, report: ImportReport, progress: Progress, before_commit) -> None:
    """Write the spool in one transaction. Should the database refuse it (another import took
    a number meanwhile), all of it is rolled back and the report says so: nothing written."""
    progress.phase("write", total=report.new + report.updated)
    try:
        with transaction.atomic():
            for chunk in _spooled_chunks(spool):
                _write_chunk(chunk)
                progress.advance(len(chunk))
            if before_commit is not None:
                before_commit(report)
    except IntegrityError:
        report.add_error(None, "", rolled_back_message())


def rolled_back_message() -> str:
    return _(
        "The ledger changed while this file was being written (an ID or phone number was "
        "taken meanwhile), so nothing was written: start the import again."
    )


def _spooled_chunks(spool: IO[str]) -> Iterator[list[dict]]:
    chunk = []
    for line in spool:
        chunk.append(json.loads(line))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _values(entry: dict) -> dict:
    values = dict(entry["values"])
    for name in ("birth_date", "joined_party_on", "floating_since"):
        if values.get(name):
            values[name] = datetime.date.fromisoformat(values[name])
    return values


def _write_chunk(chunk: list[dict]) -> None:
    # No signal reaches the members' cached pages from bulk writes.
    registry_fragments_forget()
    Member.objects.bulk_create([Member(**_values(entry)) for entry in chunk if entry["pk"] is None])
    updates = {entry["pk"]: _values(entry) for entry in chunk if entry["pk"] is not None}
    if not updates:
        return
    members = Member.objects.in_bulk(list(updates))
    now = timezone.now()
    logins = []
    for pk, values in updates.items():
        member = members[pk]
        if member.user_id and member.phone != values["phone"]:
            logins.append((member.user_id, values["phone"]))
        for name, value in values.items():
            setattr(member, name, value)
        member.updated_at = now
    Member.objects.bulk_update(members.values(), [*WRITE_FIELDS, "updated_at"])
    # The phone number is the member's login (as member_update keeps it).
    for user_id, phone in logins:
        get_user_model().objects.filter(pk=user_id).update(username=phone)


# --- As a background job -----------------------------------------------------------------


MEMBER_COUNT_LABELS = (
    gettext_lazy("New members"),
    gettext_lazy("Updated members"),
    gettext_lazy("Unchanged members"),
)


def member_import_job_run(*, job_id) -> None:
    """Validate, then write, the job's uploaded ledger, as the org admin who uploaded it."""

    def import_file(*, job: Job, **arguments) -> ImportReport:
        return members_import(user=job.created_by, **arguments)

    jobs.import_job_run(job_id=job_id, import_file=import_file, labels=MEMBER_COUNT_LABELS)
