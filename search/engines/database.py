"""The database engine: PostgreSQL full text or SQLite FTS5 over the analysed tokens.

Both store one IndexEntry per document with its tokens space-joined, by the weight of their
fields, and its length; triggers keep the vendor's full-text side in step (PostgreSQL: the
narrow table search_indexterms with a tsvector under a GIN index, migrations 0004 and 0005;
SQLite: an FTS5 table with a column per weight, migrations 0002 and 0005). A Query's
clauses are each an OR of alternatives, each an AND of tokens, quoted so no token is read as
an operator; a document matches enough of the clauses (``Query.minimum_should_match``),
matches of more clauses rank first, and BM25 with field weights orders those meeting as
many (docs/adr/0023-ranking.md): search/engines/postgresql.py and search/engines/sqlite.py.

The database only matches text: one statement returns the matching entries' ids (with
what ranks them: their terms' weighted frequencies on PostgreSQL, bm25() on SQLite) packed
as bytes or rows. Filters, facets, sorting and the page
are computed over the index's filter fields held in memory (search/engines/columns.py).
Every write takes the index's next version (search.models.IndexVersion, one writer at a
time per index); before each search the columns catch up from the versions written since,
or reload when their own version is no longer in the history.
"""

import secrets
import threading
import zlib
from collections.abc import Callable, Sequence

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from ..models import IndexEntry, IndexVersion
from ..registry import TOKEN_FIELDS, PreparedDocument, SearchDocument, weighted_frequencies
from . import postgresql, sqlite
from .base import (
    SearchEngine,
    SearchRequest,
    SearchResults,
    check_request,
    highlight,
)
from .columns import IndexColumns

# Versions kept in the history beyond the newest: a process further behind reloads.
HISTORY_KEPT = 2000
HISTORY_PRUNE_EVERY = 200
LOAD_CHUNK = 5000
# pg_advisory_xact_lock's first key: this engine's writers, whatever the index.
LOCK_NAMESPACE = 0x5EA1C4


class DatabaseEngine(SearchEngine):
    name = "database"

    # --- Writes: each takes the index's next version, one writer at a time per index -----

    def index(self, spec: SearchDocument, documents: Sequence[PreparedDocument]) -> None:
        if not documents:
            return
        with transaction.atomic():
            version = _next_version(spec.name)
            entries = {
                document.key: IndexEntry(
                    index=spec.name,
                    key=document.key,
                    **_token_columns(document),
                    text=document.text,
                    filters=document.filters,
                    version=version,
                )
                for document in documents
            }
            # An upsert keeps each entry's id, so the columns in memory update in place.
            IndexEntry.objects.bulk_create(
                list(entries.values()),
                update_conflicts=True,
                unique_fields=["index", "key"],
                update_fields=[
                    *TOKEN_FIELDS,
                    "length",
                    "text",
                    "filters",
                    "version",
                    "updated_at",
                ],
            )
            _record_version(spec.name, version)

    def delete(self, spec: SearchDocument, keys: Sequence[str]) -> None:
        with transaction.atomic():
            version = _next_version(spec.name)
            entries = IndexEntry.objects.filter(index=spec.name, key__in=list(keys))
            deleted = list(entries.values_list("id", flat=True))
            if deleted:
                entries.delete()
            _record_version(spec.name, version, deleted=deleted)

    def rebuild(self, spec: SearchDocument) -> None:
        with transaction.atomic():
            version = _next_version(spec.name)
            IndexEntry.objects.filter(index=spec.name).delete()
            _record_version(spec.name, version, reset=True)

    def rebuilt(self, spec: SearchDocument) -> None:
        # Fresh statistics name the frequent terms the columns hold in memory; autovacuum
        # would get there too, but perhaps after the first searches loaded the columns.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE search_indexentry, search_indexterms")

    def status(self) -> dict:
        return {"engine": self.name, "status": "ok"}

    # --- Search --------------------------------------------------------------------------

    def search(self, spec: SearchDocument, request: SearchRequest) -> SearchResults:
        check_request(spec, request)
        if request.query is not None and not request.query.clauses:
            return SearchResults.nothing(request)
        with _columns_lock(spec):
            columns = current_columns(spec)
            scores = None
            if request.query is None:
                positions = columns.live()
            elif connection.vendor == "postgresql":
                narrowed = bool(request.filters or request.any_of or request.sort)
                positions, matched, score = postgresql.matches(
                    spec, columns, request.query, narrowed=narrowed
                )
            else:
                positions, matched, score = sqlite.matches(columns, request.query)
            keep = columns.passing(positions, request.filters, request.any_of)
            positions = positions[keep]
            if request.query is not None and not request.sort:
                wanted = request.offset + request.page_size
                scores = relevance(positions, matched[keep], score, wanted)
            facets = columns.facets(positions, request.facets)
            page = columns.page(
                positions,
                scores=scores,
                sort=request.sort,
                offset=request.offset,
                size=request.page_size,
            )
            keys = [str(key) for key in columns.keys[page]]
            page_ids = [int(entry_id) for entry_id in columns.ids[page]]
        highlights = {}
        terms = request.query.terms if request.query else []
        if terms and page_ids:
            texts = dict(IndexEntry.objects.filter(id__in=page_ids).values_list("key", "text"))
            highlights = {key: highlight(texts[key], terms) for key in keys if key in texts}
        return SearchResults(keys=keys, total=len(positions), facets=facets, highlights=highlights)


def _token_columns(document: PreparedDocument) -> dict[str, object]:
    columns = {
        column: " ".join(tokens)
        for column, tokens in zip(TOKEN_FIELDS, document.weighted_tokens, strict=True)
    }
    return {**columns, "length": len(document.tokens)}


def relevance(
    positions: np.ndarray,
    matched: np.ndarray,
    score: Callable[[np.ndarray], np.ndarray],
    wanted: int,
) -> np.ndarray:
    """One number per match, lower first: more clauses matched first (docs/adr/
    0017-should-match.md), then BM25 (docs/adr/0023-ranking.md) squeezed into [0, 0.5], so
    it orders only matches of as many clauses. Only the matches that may be among the first
    ``wanted`` are scored: those meeting at least as many clauses as the ``wanted``-th best."""
    rank = -matched.astype(np.float64)
    if not len(matched) or wanted <= 0:
        return rank
    cutoff = np.partition(matched, -wanted)[-wanted] if wanted < len(matched) else matched.min()
    chosen = np.flatnonzero(matched >= cutoff)
    scores = score(positions[chosen])
    low, high = float(scores.min()), float(scores.max())
    if high > low:
        rank[chosen] += (high - scores) / (high - low) / 2
    return rank


def _next_version(index: str) -> int:
    """The index's next version, holding (on PostgreSQL) the index's write lock until the
    transaction ends, so versions commit in the order they are taken. (SQLite lets one
    writer in at a time anyway.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [LOCK_NAMESPACE, zlib.crc32(index.encode()) - 2**31],
            )
    latest = (
        IndexVersion.objects.filter(index=index)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    return (latest or 0) + 1


def _record_version(
    index: str, version: int, *, deleted: Sequence[int] = (), reset: bool = False
) -> None:
    IndexVersion.objects.create(
        index=index,
        version=version,
        stamp=secrets.token_hex(8),
        deleted=list(deleted),
        reset=reset,
    )
    if version % HISTORY_PRUNE_EVERY == 0:
        IndexVersion.objects.filter(index=index, version__lt=version - HISTORY_KEPT).delete()


# --- The columns in memory ------------------------------------------------------------------

_columns: dict[tuple, IndexColumns] = {}
_locks: dict[tuple, threading.Lock] = {}
_locks_guard = threading.Lock()


def _columns_key(spec: SearchDocument) -> tuple:
    # Per database (tests and the bench switch databases in one process) and per shape.
    return (
        connection.alias,
        connection.settings_dict["NAME"],
        spec.name,
        tuple(spec.filter_fields.items()),
    )


def _columns_lock(spec: SearchDocument) -> threading.Lock:
    key = _columns_key(spec)
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def current_columns(spec: SearchDocument) -> IndexColumns:
    """The index's columns as of its newest version visible here; the caller holds the
    index's lock (``_columns_lock``)."""
    key = _columns_key(spec)
    columns = _columns.get(key)
    if columns is not None and _catch_up(spec, columns):
        return columns
    columns = _load(spec)
    _columns[key] = columns
    return columns


def _catch_up(spec: SearchDocument, columns: IndexColumns) -> bool:
    """Apply the writes since the columns' version; False when that cannot be done (their
    version is gone from the history: rolled back, pruned, or the index was emptied)."""
    history = list(
        IndexVersion.objects.filter(index=spec.name, version__gte=columns.version)
        .order_by("version")
        .values_list("version", "stamp", "reset", "deleted")
    )
    if not history:
        return columns.version == 0  # never written, or written and rolled back
    version, stamp, _reset, _deleted = history[0]
    if (version, stamp) != (columns.version, columns.stamp):
        return False
    later = history[1:]
    if not later:
        return True
    if any(reset for _version, _stamp, reset, _deleted in later):
        return False
    newest, newest_stamp = later[-1][0], later[-1][1]
    written = IndexEntry.objects.filter(
        index=spec.name, version__gt=columns.version, version__lte=newest
    )
    rows = list(written.values_list("id", "key", "filters", "length", *TOKEN_FIELDS))
    _upsert(columns, rows)
    if columns.terms:
        columns.mark_terms(
            [(row[0], weighted_frequencies([tokens.split() for tokens in row[4:]])) for row in rows]
        )
    columns.remove(entry_id for *_rest, deleted in later for entry_id in deleted)
    columns.version, columns.stamp = newest, newest_stamp
    return True


def _load(spec: SearchDocument) -> IndexColumns:
    columns = IndexColumns(spec.filter_fields)
    newest = (
        IndexVersion.objects.filter(index=spec.name)
        .order_by("-version")
        .values_list("version", "stamp")
        .first()
    )
    version, stamp = newest or (0, "")
    rows = IndexEntry.objects.filter(index=spec.name, version__lte=version).order_by("id")
    chunk: list = []
    # In chunks, so a large index never sits in memory as Python objects all at once.
    for row in rows.values_list("id", "key", "filters", "length").iterator(chunk_size=LOAD_CHUNK):
        chunk.append(row)
        if len(chunk) == LOAD_CHUNK:
            _upsert(columns, chunk)
            chunk = []
    _upsert(columns, chunk)
    if connection.vendor == "postgresql":
        _name_frequent_terms(spec, columns)
    columns.version, columns.stamp = version, stamp
    return columns


def _upsert(columns: IndexColumns, rows: list[tuple]) -> None:
    columns.upsert([row[:3] for row in rows], lengths=[row[3] for row in rows])


def term_shares() -> tuple[dict[str, float], float]:
    """The lexemes PostgreSQL's statistics (ANALYZE) find most common in the terms table,
    each with the share of its rows estimated to hold it, and the table's rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
            "FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename "
            "AND c.relnamespace = to_regnamespace(s.schemaname) "
            "WHERE s.schemaname = current_schema() AND s.tablename = 'search_indexterms' "
            "AND s.attname = 'vector'"
        )
        row = cursor.fetchone()
    if not row or not row[0]:
        return {}, 0.0
    lexemes, shares, rows = row  # shares has three more items: minimum, maximum, nulls
    return dict(zip(lexemes, shares, strict=False)), rows


def term_candidates(spec: SearchDocument, least: int) -> list[str]:
    """The lexemes the statistics estimate in at least `least` rows of the terms table
    (with a margin: the statistics come from a sample)."""
    shares, rows = term_shares()
    return [lexeme for lexeme, share in shares.items() if share * rows >= 0.8 * least]


def _name_frequent_terms(spec: SearchDocument, columns: IndexColumns) -> None:
    """Which terms may be held in memory: those the statistics find in at least
    SEARCH_MEMORY_TERM_SHARE of the index's entries. Each is read the first time a search
    needs it (``postgresql.matches``): as costly as that search would be anyway, and no process
    pays for terms nobody searches. The statistics' shares also tell which words of a query
    are rare (``postgresql.covering``)."""
    if len(columns) < settings.SEARCH_MEMORY_TERM_MIN_ENTRIES:
        return
    columns.term_least = max(1, int(settings.SEARCH_MEMORY_TERM_SHARE * len(columns)))
    columns.term_candidates = set(term_candidates(spec, columns.term_least))
    columns.term_shares = term_shares()[0]


def forget_columns() -> None:
    """Drop every index's columns in this process (tests, after changing the schema)."""
    _columns.clear()
