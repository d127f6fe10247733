"""``manage.py import_talent FILE``: import the talent ledger (.xlsx, .csv or .json).

Every row is checked; a file with any bad row writes nothing and the command exits non-zero
after listing the errors by row and column. Progress goes to stderr.
"""

from portal.ledger.commands import LedgerImportCommand
from talent.ledger.imports import talent_import


class Command(LedgerImportCommand):
    help = "Import the talent ledger from an .xlsx, .csv (UTF-8 or GBK) or .json file."
    import_function = staticmethod(talent_import)
    progress_every = 500
    count_unlisted_errors = False
