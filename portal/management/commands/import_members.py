"""``manage.py import_members FILE``: import a member ledger (.xlsx, .csv or .json).

Every row is checked first; a file with any bad row writes nothing and the command exits
non-zero after listing the errors by row and column. With ``--user`` the import is limited
to the organisations that user keeps, as the admin upload is; without it the command (run
by whoever operates the server) may import into any organisation.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.ledger.imports import MAX_REPORTED_ERRORS, members_import

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


class Command(BaseCommand):
    help = "Import the member ledger from an .xlsx, .csv (UTF-8 or GBK) or .json file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--user", help="import as this user: only into the organisations they keep"
        )

    def handle(self, *args, file: Path, user: str | None, **options):
        importer = self._user(user)
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        with file.open("rb") as source:
            report = members_import(
                file=source, name=file.name, user=importer, progress=CommandProgress(sys.stderr)
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
        if report.error_count > MAX_REPORTED_ERRORS:
            self.stderr.write(f"… ({report.error_count})")
        raise CommandError(
            _("%(count)s errors: nothing was imported.") % {"count": report.error_count}
        )

    def _user(self, username: str | None):
        if username is None:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"{username}: no such user") from None
