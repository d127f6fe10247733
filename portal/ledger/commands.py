"""What the ledger import commands share (``import_members``, talent's ``import_talent``): the
file argument, progress on stderr, and the report: counts on stdout, the errors by row and
column on stderr, and a non-zero exit when anything was wrong (then nothing was imported)."""

import sys
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.ledger.imports import MAX_REPORTED_ERRORS, ImportReport

PHASES = {"validate": "checking", "write": "writing"}


class CommandProgress:
    """Progress on stderr, one line at a time, so the report on stdout stays clean."""

    def __init__(self, stream, every: int = 5000):
        self.stream, self.every, self.done, self.total, self.name = stream, every, 0, 0, ""

    def phase(self, name: str, total: int = 0) -> None:
        self.name, self.total, self.done = PHASES.get(name, name), total, 0
        self.stream.write(f"{self.name} …\n")

    def advance(self, count: int = 1) -> None:
        before, self.done = self.done, self.done + count
        if before // self.every != self.done // self.every:
            of = f" / {self.total}" if self.total else ""
            self.stream.write(f"  {self.name}: {self.done}{of}\n")


class LedgerImportCommand(BaseCommand):
    """``manage.py <command> FILE``: a subclass names the import (``import_function``, called
    with the file, its name and the progress, plus ``import_options()``)."""

    import_function: Callable[..., ImportReport]
    progress_every = 5000
    # Whether to say how many errors there were beyond the ones listed.
    count_unlisted_errors = True

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def import_options(self) -> dict:
        return {}

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        progress = CommandProgress(sys.stderr, every=self.progress_every)
        with file.open("rb") as source:
            report = self.import_function(
                file=source, name=file.name, progress=progress, **self.import_options()
            )
        self.stdout.write(
            _("Rows read: %(rows)s. New: %(new)s, updated: %(updated)s, unchanged: %(unchanged)s.")
            % {
                "rows": report.rows,
                "new": report.new,
                "updated": report.updated,
                "unchanged": report.unchanged,
            }
        )
        if report.ok:
            return
        for error in report.errors:
            self.stderr.write(error["text"])
        if self.count_unlisted_errors and report.error_count > MAX_REPORTED_ERRORS:
            self.stderr.write(f"… ({report.error_count})")
        raise CommandError(
            _("%(count)s errors: nothing was imported.") % {"count": report.error_count}
        )
