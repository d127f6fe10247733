"""A saved or deleted synonym clears the cached table, so the next query sees it."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .models import Synonym
from .synonyms import synonym_cache_clear


def synonym_changed(sender, **kwargs) -> None:
    # Now, for this process's next query, and again on commit, in case another process
    # rebuilt the table from the rows as they were before this transaction committed.
    synonym_cache_clear()
    transaction.on_commit(synonym_cache_clear)


def register() -> None:
    post_save.connect(synonym_changed, sender=Synonym, dispatch_uid="search_synonym_saved")
    post_delete.connect(synonym_changed, sender=Synonym, dispatch_uid="search_synonym_deleted")
