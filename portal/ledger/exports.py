"""Exporting the ledger as organisations keep it: one sheet per village (一村一表), one
workbook per township with a sheet for each village (一乡一册).

Workbooks are written with openpyxl's write-only mode, row by row from a database iterator,
so a township of any size is written in bounded memory. ID and phone numbers are masked;
text a spreadsheet would take for a formula is quote-prefixed.
"""

import datetime
import tempfile
from collections.abc import Callable, Iterator
from typing import IO

from django.core.files import File
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from portal.ledger import jobs
from portal.ledger.files import LEDGER_FIELDS, sheet_title
from portal.ledger.models import Job
from portal.registry.identity import mask_id_number, mask_phone
from portal.registry.models import Member, Organization
from portal.registry.spreadsheets import cell_safe

VILLAGE_LEVELS = (Organization.Level.VILLAGE, Organization.Level.COMMUNITY)
EXPORT_LEVELS = {
    Job.Kind.VILLAGE_EXPORT: VILLAGE_LEVELS,
    Job.Kind.TOWNSHIP_EXPORT: (Organization.Level.TOWNSHIP,),
}
COLUMNS = (
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "joined_party_on",
    "origin__name",
    "floating_status",
    "floating_since",
    "host_city",
    "host__name",
    "employer",
    "address",
)
DATE_FORMAT = "yyyy-mm-dd"


def workbook_job_finish(*, job: Job, write: Callable[[IO[bytes], jobs.JobProgress], dict]):
    """Write a job's workbook to a temporary file and keep it as the job's result; ``write``
    writes to the file, reporting to the job's progress, and returns the job's summary."""
    progress = jobs.JobProgress(job)
    with tempfile.TemporaryFile() as target:
        summary = write(target, progress)
        target.seek(0)
        jobs.job_finish(
            job=job,
            summary=summary,
            result=File(target),
            result_name=jobs.job_file_name(suffix=".xlsx"),
        )


def ledger_export_job_run(*, job_id) -> None:
    job = jobs.job_start(job_id=job_id)
    if job is None:
        return

    def write(target: IO[bytes], progress: jobs.JobProgress) -> dict:
        sheets = ledger_workbook_write(
            organization=job.organization, kind=job.kind, target=target, progress=progress
        )
        return {
            "download_name": export_download_name(job),
            "lines": jobs.summary_lines(
                [(_("Sheets"), len(sheets)), (_("Members"), sum(sheets.values()))]
            ),
        }

    workbook_job_finish(job=job, write=write)


def export_download_name(job: Job) -> str:
    day = timezone.localtime(job.created_at).date()
    label = _("village sheet") if job.kind == Job.Kind.VILLAGE_EXPORT else _("township workbook")
    return f"{job.organization.name}-{label}-{day:%Y%m%d}.xlsx"


def ledger_sheets(organization: Organization, kind: str) -> Iterator[tuple[str, QuerySet]]:
    """(sheet name, members) in the order the book lists them."""
    members = Member.objects.order_by("origin__path", "name", "pk")
    if kind == Job.Kind.VILLAGE_EXPORT:
        yield organization.name, members.filter(origin__path__startswith=organization.path)
        return
    # Members kept by the township's own committee come first, when there are any.
    direct = members.filter(origin=organization)
    if direct.exists():
        yield organization.name, direct
    for village in organization.get_children().filter(level__in=VILLAGE_LEVELS):
        yield village.name, members.filter(origin__path__startswith=village.path)


def ledger_workbook_write(
    *, organization: Organization, kind: str, target, progress=None
) -> dict[str, int]:
    """Write the workbook to ``target`` (a path or binary file); return members per sheet."""
    progress = progress or jobs.NoProgress()
    total = Member.objects.filter(origin__path__startswith=organization.path).count()
    progress.phase("write", total=total)
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    counts = {}
    for name, members in ledger_sheets(organization, kind):
        sheet = workbook.create_sheet(sheet_title(name, taken))
        counts[sheet.title] = _sheet_write(sheet, name, members, progress)
    if not counts:
        workbook.create_sheet(sheet_title(organization.name, taken))
    workbook.save(target)
    return counts


def ledger_headers() -> list[str]:
    return [str(Member._meta.get_field(name).verbose_name) for name in LEDGER_FIELDS]


def _sheet_write(sheet: WriteOnlyWorksheet, name: str, members: QuerySet, progress) -> int:
    sheet.append([cell_safe(_("%(organization)s: member ledger") % {"organization": name})])
    sheet.append(ledger_headers())
    gender = dict(Member.Gender.choices)
    status = dict(Member.FloatingStatus.choices)
    count = 0
    # Plain tuples, not model instances: a township holds tens of thousands of members.
    for row in members.values_list(*COLUMNS).iterator(chunk_size=2000):
        values = dict(zip(COLUMNS, row, strict=True))
        values["gender"] = gender.get(values["gender"], "")
        values["floating_status"] = status.get(values["floating_status"], "")
        values["id_number"] = mask_id_number(values["id_number"])
        values["phone"] = mask_phone(values["phone"])
        sheet.append([_cell(sheet, values[column]) for column in COLUMNS])
        count += 1
        if count % 500 == 0:
            progress.advance(500)
    progress.advance(count % 500)
    return count


def _cell(sheet: WriteOnlyWorksheet, value):
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return cell_safe("" if value is None else str(value))
