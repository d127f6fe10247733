"""``manage.py import_talent FILE``: import the talent ledger (.xlsx, .csv or .json).

Every row is checked; a file with any bad row writes nothing and the command exits non-zero
after listing the errors by row and column. Progress goes to stderr.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.management.commands.import_members import CommandProgress
from talent.talent_import import talent_import


class Command(BaseCommand):
    help = "Import the talent ledger from an .xlsx, .csv (UTF-8 or GBK) or .json file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        with file.open("rb") as source:
            report = talent_import(
                file=source, name=file.name, progress=CommandProgress(sys.stderr, every=500)
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
        raise CommandError(
            _("%(count)s errors: nothing was imported.") % {"count": report.error_count}
        )
