"""Exporting candidates to a workbook: every hit of a desk search or the people on a
shortlist, up to ``TALENT_EXPORT_MAX_ROWS`` either way.

The file is written by a background job (talent.ledger.services starts it, portal.ledger.jobs
runs it) and downloaded by its creator alone from the job's progress page. The search runs
again in the job, as the user who asked, so what the file holds is what that user may see
when it is written. Phone and ID numbers are masked; text a spreadsheet would take for a
formula is quote-prefixed.
"""

import re
from collections.abc import Iterator, Sequence
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from portal.ledger import jobs
from portal.ledger.exports import workbook_job_finish
from portal.models import Job, Member
from portal.registry.spreadsheets import cell_safe
from talent.desk.compare import fact_labels, profile_fact_values
from talent.desk.search_query import talent_query_from_params
from talent.desk.selectors import talent_search_keys
from talent.models import Shortlist, TalentProfile
from talent.selectors import can_search_talent, profiles_visible_to
from talent.shortlists.selectors import shortlist_entries_for, shortlists_visible_to

CHUNK = 500
GENDER_LABELS = dict(Member.Gender.choices)
UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def export_max_rows() -> int:
    return settings.TALENT_EXPORT_MAX_ROWS


def _keys_to_export(user, summary: dict, limit: int) -> list[int]:
    """The profiles the job writes, in order, as the user may see them now (at most limit)."""
    if summary.get("source") == "shortlist":
        shortlist = shortlists_visible_to(user).filter(pk=summary.get("shortlist")).first()
        if shortlist is None:
            raise ValidationError(_("The shortlist no longer exists or is not yours to see."))
        entries = shortlist_entries_for(user, shortlist)
        return list(entries.values_list("profile_id", flat=True)[:limit])
    query = talent_query_from_params(summary.get("params", {}))
    return talent_search_keys(user, query, limit=limit)


def talent_export_job_run(*, job_id) -> None:
    """The task's work; a job already finished is left alone, so a repeat does nothing."""
    job = jobs.job_start(job_id=job_id)
    if job is None:
        return
    user = job.created_by
    if user is None or not can_search_talent(user):
        jobs.job_fail(job=job, errors=[{"message": _("You may no longer search the pool.")}])
        return
    cap = export_max_rows()
    try:
        # One more than the cap tells whether the file had to stop short.
        keys = _keys_to_export(user, job.summary, cap + 1)
    except ValidationError as exc:
        jobs.job_fail(job=job, errors=[{"message": message} for message in exc.messages])
        return
    truncated = len(keys) > cap
    keys = keys[:cap]

    def write(target: IO[bytes], progress: jobs.JobProgress) -> dict:
        written = talent_workbook_write(user=user, keys=keys, target=target, progress=progress)
        lines = [(_("Candidates"), written)]
        if truncated:
            lines.append((_("Stopped at the limit of"), cap))
        return {
            **job.summary,
            "download_name": export_download_name(job),
            "truncated": truncated,
            "lines": jobs.summary_lines(lines),
        }

    workbook_job_finish(job=job, write=write)


def export_download_name(job: Job) -> str:
    day = timezone.localtime(job.created_at).date()
    if job.summary.get("source") == "shortlist":
        shortlist = Shortlist.objects.filter(pk=job.summary.get("shortlist")).first()
        label = UNSAFE_IN_FILE_NAMES.sub("_", shortlist.name) if shortlist else _("shortlist")
    else:
        label = _("talent search results")
    return f"{label}-{day:%Y%m%d}.xlsx"


def talent_export_headers() -> list[str]:
    identity = [_("full name"), _("gender"), _("birth date"), _("ID number"), _("phone")]
    return [*identity, *fact_labels()]


def _profiles_in_order(user, keys: Sequence[int]) -> Iterator[TalentProfile]:
    """The visible profiles of ``keys`` in that order, loaded a chunk at a time."""
    visible = (
        profiles_visible_to(user)
        .select_related("member", "hometown_township", "hometown_village")
        .prefetch_related("skills")
    )
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        found = {profile.pk: profile for profile in visible.filter(pk__in=chunk)}
        yield from (found[key] for key in chunk if key in found)


def talent_workbook_write(*, user, keys: Sequence[int], target, progress=None) -> int:
    """Write one sheet of candidates to ``target``; return how many rows were written."""
    progress = progress or jobs.NoProgress()
    progress.phase("write", total=len(keys))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Candidates"))
    sheet.append(talent_export_headers())
    count = 0
    for profile in _profiles_in_order(user, keys):
        birth = profile.member.birth_date if profile.member_id else profile.birth_date
        gender = GENDER_LABELS.get(profile.person_gender, "")
        row = [
            profile.display_name,
            gender,
            birth.isoformat() if birth else "",
            profile.masked_id_number,
            profile.masked_phone,
            *profile_fact_values(profile),
        ]
        sheet.append([cell_safe(str(value)) for value in row])
        count += 1
        progress.advance()
    workbook.save(target)
    return count
