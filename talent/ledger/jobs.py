"""The talent ledger uploaded in the admin, imported as a background job.

A county org admin's upload becomes a ``Job`` (kind talent import, talent.ledger.services);
the Celery task, sent on commit, runs ``talent_import`` on it and the job ends done (with the
counts) or failed (with the row-numbered errors). The import's rows are one transaction, and
the job is marked done inside it, so a crash leaves either everything or nothing, and a retry
starts over.
"""

import time

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.utils.translation import gettext_lazy

from portal.ledger import jobs
from portal.models import Job
from talent.ledger.imports import talent_import

# How long a progress write waits for a lock before it gives up (PostgreSQL's lock_timeout).
SIDE_LOCK_TIMEOUT_MS = 2000
PROFILE_COUNT_LABELS = (
    gettext_lazy("New profiles"),
    gettext_lazy("Updated profiles"),
    gettext_lazy("Unchanged profiles"),
)


def talent_import_job_run(*, job_id) -> None:
    """Import the job's uploaded ledger; the job ends done or failed. A finished job is left
    as it is, so a second delivery of the task does nothing."""

    def import_file(*, job: Job, **arguments):
        return talent_import(**arguments)

    jobs.import_job_run(
        job_id=job_id,
        import_file=import_file,
        labels=PROFILE_COUNT_LABELS,
        progress_class=DetachedJobProgress,
    )


class DetachedJobProgress(jobs.JobProgress):
    """A job's progress the polling page sees while the import's transaction is still open.

    ``talent_import`` checks and saves every row inside one transaction, so the count written
    on the task's own connection would stay invisible until the commit. On PostgreSQL the
    count goes through a second connection, in autocommit. Should that fail or wait on a lock,
    the count falls back to the task's connection (seen at the end only); SQLite has one
    writer at a time, so there it does from the start.
    """

    def __init__(self, job: Job):
        super().__init__(job)
        self._side = None
        self._detached = connection.vendor == "postgresql"

    def advance(self, count: int = 1) -> None:
        self.done += count
        self.job.done = self.done
        now = time.monotonic()
        if now - self._written_at < jobs.PROGRESS_INTERVAL_SECONDS:
            return
        self._written_at = now
        if not self._write_detached(self.done):
            Job.objects.filter(pk=self.job.pk).update(done=self.done)

    def _write_detached(self, done: int) -> bool:
        if not self._detached:
            return False
        table = connection.ops.quote_name(Job._meta.db_table)
        try:
            if self._side is None:
                self._side = connections.create_connection(DEFAULT_DB_ALIAS)
                with self._side.cursor() as cursor:
                    cursor.execute(f"SET lock_timeout = {SIDE_LOCK_TIMEOUT_MS:d}")
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET done = %s WHERE id = %s",  # noqa: S608 - quoted name
                    [done, self.job.pk],
                )
        except DatabaseError:
            self.close()
            self._detached = False
            return False
        return True

    def close(self) -> None:
        """Close the second connection; later counts go through the task's connection."""
        self._detached = False
        if self._side is not None:
            self._side.close()
            self._side = None
