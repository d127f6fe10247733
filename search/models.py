"""Search keeps one table of its own: the synonyms an admin adds to the built-in list."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Equivalents are typed one a line or with commas; 、 stays inside a phrase (党小组会和党课).
EQUIVALENT_SEPARATORS = re.compile(r"[\n\r,，;；]+")


class Synonym(models.Model):
    """A word or abbreviation and the words that stand for it in a search (电商 ⇄ 电子商务).

    Equivalence runs both ways: a query for any of them finds texts with any of them.
    """

    term = models.CharField(
        _("term"),
        max_length=100,
        unique=True,
        help_text=_("A word or abbreviation as people type it in a search."),
    )
    equivalents = models.TextField(
        _("equivalents"),
        help_text=_("Words that mean the same, one a line or separated by commas."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term

    def equivalent_list(self) -> list[str]:
        words = (word.strip() for word in EQUIVALENT_SEPARATORS.split(self.equivalents))
        return list(dict.fromkeys(word for word in words if word and word != self.term))

    def clean(self) -> None:
        from .analysis import default_analyzer, normalize

        analyzer = default_analyzer()
        # Stored as the analysis sees it, so 電商 and 电商 cannot be two rows.
        self.term = normalize(self.term).strip()
        if not analyzer.query_tokens(self.term):
            raise ValidationError({"term": _("Enter a word, not only punctuation.")})
        equivalents = [normalize(word).strip() for word in self.equivalent_list()]
        equivalents = [word for word in equivalents if word != self.term]
        if not any(analyzer.query_tokens(word) for word in equivalents):
            raise ValidationError(
                {"equivalents": _("Enter at least one word other than the term.")}
            )
        self.equivalents = "\n".join(dict.fromkeys(equivalents))


# --- Search engine (the database engine's store, and the durable indexing queue) ---------


class IndexEntry(models.Model):
    """One document in the database engine: its analysed tokens, space-joined, by the
    weight of the fields they come from (search.registry.Weight), and how many there are.

    The full-text side is vendor SQL kept in step by triggers (migrations 0002, 0004 and
    0005): on PostgreSQL a narrow table ``search_indexterms`` (entry id, index, the tokens as
    a tsvector under a GIN index, each token's weighted frequency as its positions), on
    SQLite an FTS5 table with a column per weight. ``version`` is the index's IndexVersion
    that last wrote the entry: processes holding the index's filter columns in memory
    (search.engines.columns) read what changed since the version they hold."""

    index = models.CharField(max_length=100)
    key = models.CharField(max_length=100)
    tokens_high = models.TextField(blank=True, default="")
    tokens_middle = models.TextField(blank=True, default="")
    tokens_low = models.TextField()
    length = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True)
    filters = models.JSONField(default=dict)
    version = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["index", "key"], name="search_indexentry_unique")
        ]
        indexes = [models.Index(fields=["index", "version"], name="search_indexentry_version")]

    def __str__(self) -> str:
        return f"{self.index}:{self.key}"


class IndexTask(models.Model):
    """A change the search engine has yet to see; deleted once the engine accepted it."""

    class Action(models.TextChoices):
        UPSERT = "upsert", _("index")
        DELETE = "delete", _("delete")

    index = models.CharField(max_length=100)
    key = models.CharField(max_length=100)
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.UPSERT)
    enqueued_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["index", "key"], name="search_indextask_doc")]

    def __str__(self) -> str:
        return f"{self.action} {self.index}:{self.key}"


class IndexVersion(models.Model):
    """One write to an index of the database engine: entries written with this version,
    entries deleted by it, or the whole index emptied (``reset``).

    The rows form the index's history, read by processes that hold its filter columns in
    memory: a process holding version v with stamp s may catch up from the rows after v
    only while (v, s) is still here, so a write it saw inside a transaction that rolled
    back (its row gone, its version perhaps reused with another stamp) makes it reload."""

    index = models.CharField(max_length=100)
    version = models.BigIntegerField()
    stamp = models.CharField(max_length=32)
    reset = models.BooleanField(default=False)
    deleted = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["index", "version"], name="search_indexversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.index}@{self.version}"
