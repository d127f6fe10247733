"""The database engine: PostgreSQL full text or SQLite FTS5 over the analysed tokens.

Both store one IndexEntry per document with its tokens space-joined; triggers keep the
vendor's full-text side in step (PostgreSQL: the narrow table search_indexterms with a
tsvector under a GIN index, migration 0004; SQLite: an FTS5 table, migration 0002). A Query
becomes an AND of clauses, each an OR of alternatives, each an AND of tokens, quoted so no
token is read as an operator.

The database only matches text: one statement returns the matching entries' ids (and,
where they can differ, their scores) packed as bytes. Filters, facets, sorting and the page
are computed over the index's filter fields held in memory (search/engines/columns.py).
Every write takes the index's next version (search.models.IndexVersion, one writer at a
time per index); before each search the columns catch up from the versions written since,
or reload when their own version is no longer in the history.
"""

import secrets
import threading
import zlib
from collections.abc import Sequence
from contextlib import contextmanager

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from ..analysis import Query
from ..models import IndexEntry, IndexVersion
from ..registry import PreparedDocument, SearchDocument
from .base import (
    SearchEngine,
    SearchRequest,
    SearchResults,
    check_request,
    highlight,
)
from .columns import IndexColumns

FTS_TABLE = "search_indexentry_fts"
# Versions kept in the history beyond the newest: a process further behind reloads.
HISTORY_KEPT = 2000
HISTORY_PRUNE_EVERY = 200
LOAD_CHUNK = 5000
# pg_advisory_xact_lock's first key: this engine's writers, whatever the index.
LOCK_NAMESPACE = 0x5EA1C4


def tsquery(query: Query) -> str:
    """'a' & ( 'b' | 'c' & 'd' ): tsquery input syntax, each token a quoted lexeme."""

    def lexeme(token: str) -> str:
        return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"

    def alternative(tokens: Sequence[str]) -> str:
        return " & ".join(lexeme(token) for token in tokens)

    return " & ".join(
        "( " + " | ".join(f"( {alternative(alt)} )" for alt in clause) + " )"
        for clause in query.clauses
    )


def fts5_match(query: Query) -> str:
    """("a") AND (("b") OR ("c" AND "d")): FTS5 syntax, each token an FTS5 string."""

    def string(token: str) -> str:
        return '"' + token.replace('"', '""') + '"'

    def alternative(tokens: Sequence[str]) -> str:
        return "(" + " AND ".join(string(token) for token in tokens) + ")"

    return " AND ".join(
        "(" + " OR ".join(alternative(alt) for alt in clause) + ")" for clause in query.clauses
    )


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
                    tokens=" ".join(document.tokens),
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
                update_fields=["tokens", "text", "filters", "version", "updated_at"],
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
        return {"engine": self.name, "vendor": connection.vendor, "status": "ok"}

    # --- Search --------------------------------------------------------------------------

    def search(self, spec: SearchDocument, request: SearchRequest) -> SearchResults:
        check_request(spec, request)
        if request.query is not None and not request.query.clauses:
            return SearchResults(keys=[], total=0, facets={}, highlights={})
        with _columns_lock(spec):
            columns = current_columns(spec)
            scores = None
            if request.query is None:
                positions = columns.live()
            elif connection.vendor == "postgresql":
                positions, scores = _postgresql_matches(spec, columns, request.query)
            else:
                positions, scores = _sqlite_matches(columns, request.query)
            keep = columns.passing(positions, request.filters, request.any_of)
            positions = positions[keep]
            scores = scores[keep] if scores is not None else None
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
    rows = list(written.values_list("id", "key", "filters", "tokens"))
    columns.upsert([(entry_id, key, filters) for entry_id, key, filters, _tokens in rows])
    columns.mark_terms([(entry_id, tokens) for entry_id, _key, _filters, tokens in rows])
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
    for row in rows.values_list("id", "key", "filters").iterator(chunk_size=LOAD_CHUNK):
        chunk.append(row)
        if len(chunk) == LOAD_CHUNK:
            columns.upsert(chunk)
            chunk = []
    columns.upsert(chunk)
    if connection.vendor == "postgresql":
        _name_frequent_terms(spec, columns)
    columns.version, columns.stamp = version, stamp
    return columns


def term_candidates(spec: SearchDocument, least: int) -> list[str]:
    """The lexemes PostgreSQL's statistics (ANALYZE) estimate in at least `least` rows of the
    terms table (with a margin: the statistics come from a sample)."""
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
        return []
    lexemes, shares, rows = row  # shares has three more items: minimum, maximum, nulls
    pairs = zip(lexemes, shares, strict=False)
    return [lexeme for lexeme, share in pairs if share * rows >= 0.8 * least]


def _name_frequent_terms(spec: SearchDocument, columns: IndexColumns) -> None:
    """Which terms may be held in memory: those the statistics find in at least
    SEARCH_MEMORY_TERM_SHARE of the index's entries. Each is read the first time a search
    needs it (``_hold_terms``): as costly as that search would be anyway, and no process
    pays for terms nobody searches."""
    if len(columns) < settings.SEARCH_MEMORY_TERM_MIN_ENTRIES:
        return
    columns.term_least = max(1, int(settings.SEARCH_MEMORY_TERM_SHARE * len(columns)))
    columns.term_candidates = set(term_candidates(spec, columns.term_least))


def _hold_terms(spec: SearchDocument, columns: IndexColumns, query: Query) -> None:
    """Read the posting lists of the query's frequent terms not held yet, in one statement,
    and hold those that really are frequent."""
    tokens = {token for clause in query.clauses for alt in clause for token in alt}
    needed = sorted(tokens & columns.term_candidates - set(columns.terms))
    if not needed:
        return
    postings = {
        alternative[0]: ids
        for alternative, ids in _postgresql_ids(
            spec, Query(clauses=()), [(token,) for token in needed]
        ).items()
    }
    columns.hold_terms(
        {token: ids for token, ids in postings.items() if len(ids) >= columns.term_least}
    )
    columns.term_candidates -= set(needed)  # held now, or not frequent after all


@contextmanager
def _through_the_gin_index():
    """A cursor whose statements read search_indexterms through its GIN index: what is
    left for PostgreSQL after the terms in memory is selective, but the planner may guess
    a sequential scan for a term of one entry in ten, which costs three times more."""
    with transaction.atomic(), connection.cursor() as cursor:
        # Local to the transaction, and put back afterwards: inside a caller's transaction
        # this block is a savepoint, whose release would keep the setting until its end.
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)"
        )
        before = cursor.fetchone()[0]
        try:
            yield cursor
        finally:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [before])


def forget_columns() -> None:
    """Drop every index's columns in this process (tests, after changing the schema)."""
    _columns.clear()


# --- Text -------------------------------------------------------------------------------------


def _sqlite_matches(columns: IndexColumns, query: Query) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the matching entries and their bm25 (lower is better), from FTS5."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, bm25({FTS_TABLE}) FROM {FTS_TABLE} "  # noqa: S608 - fixed names
            f"WHERE {FTS_TABLE} MATCH %s",
            [fts5_match(query)],
        )
        rows = cursor.fetchall()
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    scores = np.fromiter((row[1] for row in rows), dtype=np.float64, count=len(rows))
    positions, found = columns.positions(ids)
    return positions, scores[found]


def _postgresql_matches(
    spec: SearchDocument, columns: IndexColumns, query: Query
) -> tuple[np.ndarray, np.ndarray | None]:
    """Positions of the matching entries and, where they can differ, their scores.

    Relevance: entries holding the words as typed (each clause's first alternative) come
    before those found only through a synonym. ts_rank would say little more (the tsvectors
    hold no positions or weights) and costs more per match than the match itself.

    An alternative made only of terms held in memory (``columns.terms``) is evaluated there.
    The rest goes to PostgreSQL in one statement: the clauses with no such alternative
    together (the GIN index intersects them), and the others' remaining alternatives each.
    """
    _hold_terms(spec, columns, query)
    held = columns.terms

    def in_memory(alternative: Sequence[str]) -> bool:
        return all(token in held for token in alternative)

    def memory_mask(alternative: Sequence[str]) -> np.ndarray:
        mask = columns.alive.copy()
        for token in alternative:
            mask &= held[token]
        return mask

    ranked = any(len(clause) > 1 for clause in query.clauses)
    whole = [c for c in query.clauses if not any(in_memory(alt) for alt in c)]
    parts = [alt for c in query.clauses if c not in whole for alt in c if not in_memory(alt)]
    asked = list(dict.fromkeys([*parts, *(c[0] for c in whole if ranked)]))
    found = _postgresql_ids(spec, Query(clauses=tuple(whole)), asked)

    def mask(alternative: Sequence[str]) -> np.ndarray:
        if in_memory(alternative):
            return memory_mask(alternative)
        return columns.mask_of(found[tuple(alternative)])

    matching = columns.alive.copy()
    if whole:
        matching &= columns.mask_of(found[None])
    for clause in query.clauses:
        if clause not in whole:
            either = np.zeros(len(columns.ids), dtype=bool)
            for alternative in clause:
                either |= mask(alternative)
            matching &= either
    positions = np.flatnonzero(matching)
    if not ranked:
        return positions, None
    typed = columns.alive.copy()
    for clause in query.clauses:
        typed &= mask(clause[0])
    return positions, np.where(typed[positions], 0.0, 1.0)


def _postgresql_ids(
    spec: SearchDocument, whole: Query, alternatives: Sequence[tuple[str, ...]]
) -> dict[tuple[str, ...] | None, np.ndarray]:
    """One statement: the ids matching `whole` (under None) and, among the entries the
    statement reads, those matching each alternative (under the alternative). With no
    whole clauses it reads the entries matching any of the alternatives."""
    if not whole.clauses and not alternatives:
        return {}
    columns_sql, params = [], []
    if whole.clauses:
        columns_sql.append("string_agg(int8send(entry_id), '')")
    for alternative in alternatives:
        columns_sql.append(
            "string_agg(int8send(entry_id), '') FILTER (WHERE vector @@ %s::tsquery)"
        )
        params.append(tsquery(Query(clauses=((alternative,),))))
    reads = whole if whole.clauses else Query(clauses=(tuple(alternatives),))
    with _through_the_gin_index() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns_sql)} FROM search_indexterms "  # noqa: S608 - fixed
            "WHERE index = %s AND vector @@ %s::tsquery",
            [*params, spec.name, tsquery(reads)],
        )
        packed = list(cursor.fetchone())
    keys: list[tuple[str, ...] | None] = [*([None] if whole.clauses else []), *alternatives]
    return {
        key: np.frombuffer(value or b"", dtype=">i8").astype(np.int64)
        for key, value in zip(keys, packed, strict=True)
    }
