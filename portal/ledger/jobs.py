"""Background jobs with visible progress: services and selectors any import or export uses.

A job's task calls ``job_start`` (which refuses a job that already finished, so a repeated
delivery does nothing), reports through a ``JobProgress``, and ends with ``job_finish`` or
``job_fail``. The progress page polls ``job_status``. Nothing here knows what a job does.
"""

import datetime
import secrets
import time
from collections.abc import Callable, Iterable
from pathlib import PurePath
from typing import Protocol

from django.conf import settings
from django.core.files import File
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.ledger.models import Job

# The page polls every couple of seconds: writing progress more often is wasted work.
PROGRESS_INTERVAL_SECONDS = 1.0
FINISHED = (Job.Status.DONE, Job.Status.FAILED)


def job_file_name(*, suffix: str) -> str:
    """A name nobody can guess: job files hold personal data and live under MEDIA_ROOT."""
    return f"{secrets.token_urlsafe(24)}{suffix.lower()}"


def job_create(
    *, kind: str, created_by, organization=None, source: File | None = None, source_name: str = ""
) -> Job:
    job = Job(kind=kind, created_by=created_by, organization=organization)
    job.full_clean(exclude=["source", "result"])
    if source is not None:
        suffix = PurePath(source_name or source.name or "").suffix
        job.source.save(job_file_name(suffix=suffix), source, save=False)
    job.save()
    return job


def job_start(*, job_id) -> Job | None:
    """Mark the job running and return it; None when it already finished (nothing to redo).

    A job found running is a retry after a crash: its work is one transaction, so it starts
    over from the beginning.
    """
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status in FINISHED:
        return None
    job.status = Job.Status.RUNNING
    job.started_at = timezone.now()
    job.done = 0
    job.errors = []
    job.save(update_fields=["status", "started_at", "done", "errors"])
    return job


def job_finish(*, job: Job, summary: dict, result: File | None = None, result_name: str = ""):
    job.status = Job.Status.DONE
    job.done = job.total or job.done  # the last step may not have been written yet
    # The step that was under way is over: a finished job names none.
    job.summary = {key: value for key, value in summary.items() if key != "phase"}
    job.finished_at = timezone.now()
    if result is not None:
        job.result.save(result_name, result, save=False)
    job.save()
    _source_discard(job)


def job_fail(*, job: Job, errors: list[dict], summary: dict | None = None) -> None:
    job.status = Job.Status.FAILED
    job.errors = errors
    job.summary = {key: value for key, value in (summary or {}).items() if key != "phase"}
    job.finished_at = timezone.now()
    job.save()
    _source_discard(job)


def job_give_up(*, job_id) -> None:
    """The task's retries are spent: show the job failed rather than running for ever."""
    job = Job.objects.filter(pk=job_id).exclude(status__in=FINISHED).first()
    if job is not None:
        job_fail(job=job, errors=[{"message": _("The job stopped on an unexpected error.")}])


def job_time_out(*, job_id) -> None:
    """The job ran past LEDGER_JOB_TIMEOUT_SECONDS: show it failed, saying so."""
    job = Job.objects.filter(pk=job_id).exclude(status__in=FINISHED).first()
    if job is not None:
        job_fail(job=job, errors=[{"message": timed_out_message()}], summary=job.summary)


def timed_out_message() -> str:
    minutes = max(1, settings.LEDGER_JOB_TIMEOUT_SECONDS // 60)
    return _("The job did not finish within %(minutes)s minutes and was stopped.") % {
        "minutes": minutes
    }


def jobs_stale_fail(*, now: datetime.datetime | None = None) -> int:
    """Fail every job still running (or waiting) past LEDGER_JOB_TIMEOUT_SECONDS: its worker
    died, or its task was lost. Returns how many; a second run finds none of them again."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(seconds=settings.LEDGER_JOB_TIMEOUT_SECONDS)
    stale = Job.objects.filter(status=Job.Status.RUNNING, started_at__lt=limit) | (
        Job.objects.filter(status=Job.Status.PENDING, created_at__lt=limit)
    )
    count = 0
    for job_id in stale.values_list("pk", flat=True):
        job_time_out(job_id=job_id)
        count += 1
    return count


def _source_discard(job: Job) -> None:
    """An uploaded ledger is personal data: once read, it is not kept."""
    if job.source:
        job.source.delete(save=False)
        Job.objects.filter(pk=job.pk).update(source="")


class Progress(Protocol):
    """What long work reports to: a job's row, a command's output, or nothing."""

    def phase(self, name: str, total: int = 0) -> None: ...
    def advance(self, count: int = 1) -> None: ...


class NoProgress:
    def phase(self, name: str, total: int = 0) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


class JobProgress:
    """Reports ``done`` of ``total`` for a job, writing at most once a second.

    Updates go straight to the row (``QuerySet.update``), so they never overwrite what the
    task saves on the instance. ``phase`` names the step under way (shown on the page).
    """

    def __init__(self, job: Job):
        self.job = job
        self.done = 0
        self._written_at = 0.0

    def phase(self, name: str, total: int = 0) -> None:
        self.done = 0
        summary = {**self.job.summary, "phase": name}
        self.job.summary, self.job.total, self.job.done = summary, total, 0
        Job.objects.filter(pk=self.job.pk).update(summary=summary, total=total, done=0)
        self._written_at = time.monotonic()

    def advance(self, count: int = 1) -> None:
        self.done += count
        self.job.done = self.done
        now = time.monotonic()
        if now - self._written_at >= PROGRESS_INTERVAL_SECONDS:
            Job.objects.filter(pk=self.job.pk).update(done=self.done)
            self._written_at = now

    def close(self) -> None:
        """Nothing to release here (a subclass may hold a connection of its own)."""


# --- An import as a job ------------------------------------------------------------------


def import_summary(report, labels: tuple) -> dict:
    """A job's summary of an import: the counts, and the lines its page shows.

    ``labels`` name the new, updated and unchanged rows (members, talent's profiles). A
    rejected import wrote nothing: its page shows the rows read and the errors, never how
    many people it "added" beside "nothing was written", whether the rows were refused when
    checked or the database refused the write and it was rolled back."""
    new, updated, unchanged = labels
    written = (report.new, report.updated, report.unchanged) if report.ok else (0, 0, 0)
    pairs = [(_("Rows read"), report.rows)]
    if report.ok:
        pairs += [(new, written[0]), (updated, written[1]), (unchanged, written[2])]
    else:
        pairs.append((_("Rows written"), 0))
    pairs.append((_("Errors"), report.error_count))
    return {
        "counts": {
            "rows": report.rows,
            "new": written[0],
            "updated": written[1],
            "unchanged": written[2],
            "errors": report.error_count,
        },
        "lines": summary_lines(pairs),
    }


def import_job_run(
    *,
    job_id,
    import_file: Callable,
    labels: tuple,
    progress_class: type[JobProgress] = JobProgress,
) -> None:
    """Import a job's uploaded ledger; the job ends done (marked inside the import's writing
    transaction, through ``before_commit``) or failed with the row errors. A finished job is
    left as it is, so a second delivery of the task does nothing.

    ``import_file(job=, file=, name=, progress=, before_commit=)`` imports the file;
    ``labels`` name its new, updated and unchanged rows in the summary."""
    job = job_start(job_id=job_id)
    if job is None:
        return
    progress = progress_class(job)

    def finish(report) -> None:
        progress.close()  # the job row is written on this connection from here on
        job_finish(job=job, summary=import_summary(report, labels))

    try:
        with job.source.open("rb") as source:
            report = import_file(
                job=job,
                file=source,
                name=job.source.name,
                progress=progress,
                before_commit=finish,
            )
    finally:
        progress.close()
    if not report.ok:
        job_fail(job=job, errors=report.errors, summary=import_summary(report, labels))


# --- Selectors ------------------------------------------------------------------------


def jobs_started_by(user) -> QuerySet[Job]:
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(created_by=user)


def job_for_user(user, pk) -> Job:
    """A job its creator may watch or download; anyone else's is a 404."""
    return get_object_or_404(jobs_started_by(user), pk=pk)


def job_phase_label(phase: str) -> str:
    labels = {"validate": _("checking every row"), "write": _("writing")}
    return str(labels.get(phase, ""))


def job_status(job: Job) -> dict:
    """What the progress page polls: small, and without any personal data. A finished job
    has no phase, whatever step its summary last named."""
    finished = job.status in FINISHED
    phase = "" if finished else job.summary.get("phase", "")
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "phase": phase,
        "phase_label": job_phase_label(phase),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": finished,
        "error_count": len(job.errors),
        "has_result": bool(job.result),
    }


def summary_lines(pairs: Iterable[tuple[str, object]]) -> list[list]:
    """A summary the generic progress page can show: label and value, already translated."""
    return [[str(label), value] for label, value in pairs]
