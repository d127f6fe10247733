"""Rebuild the search index of every registered document (or one) with progress shown."""

from django.core.management.base import BaseCommand, CommandError

from search.registry import document_spec, document_specs
from search.services import DRAIN_BATCH, index_rebuild


class Command(BaseCommand):
    help = "Rebuild search indexes from the registered documents, in batches, showing progress."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--index", help="Only this index (a registered document name).")
        parser.add_argument("--batch-size", type=int, default=DRAIN_BATCH)

    def handle(self, *args, index: str | None = None, batch_size: int = DRAIN_BATCH, **options):
        try:
            specs = [document_spec(index)] if index else document_specs()
        except LookupError as error:
            raise CommandError(str(error)) from error
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        for spec in specs:
            self.stdout.write(f"{spec.name}: rebuilding")
            done = index_rebuild(
                spec=spec, batch_size=batch_size, progress=self._progress(spec.name)
            )
            self.stdout.write(self.style.SUCCESS(f"{spec.name}: {done} documents indexed"))

    def _progress(self, name: str):
        def report(done: int, total: int | None) -> None:
            if total:
                self.stdout.write(f"{name}: {done}/{total} ({100 * done // total}%)")
            else:
                self.stdout.write(f"{name}: {done}")

        return report
