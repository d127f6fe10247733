"""``manage.py import_members FILE``: import a member ledger (.xlsx, .csv or .json).

Every row is checked first; a file with any bad row writes nothing and the command exits
non-zero after listing the errors by row and column. With ``--user`` the import is limited
to the organisations that user keeps, as the admin upload is; without it the command (run
by whoever operates the server) may import into any organisation.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from portal.ledger.commands import LedgerImportCommand
from portal.ledger.imports import members_import


class Command(LedgerImportCommand):
    help = "Import the member ledger from an .xlsx, .csv (UTF-8 or GBK) or .json file."
    import_function = staticmethod(members_import)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--user", help="import as this user: only into the organisations they keep"
        )

    def handle(self, *args, user: str | None, **options):
        self.importer = self._user(user)
        super().handle(*args, **options)

    def import_options(self) -> dict:
        return {"user": self.importer}

    def _user(self, username: str | None):
        if username is None:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"{username}: no such user") from None
