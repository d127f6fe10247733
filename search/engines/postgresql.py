"""The database engine's text matching on PostgreSQL: full text over the analysed tokens.

Migration 0004 keeps the narrow table ``search_indexterms`` (entry id, index, the tokens as a
tsvector under a GIN index) in step with IndexEntry. Terms the columns hold in memory
(search/engines/columns.py) are matched in memory instead."""

from collections.abc import Sequence
from contextlib import contextmanager

import numpy as np
from django.db import connection, transaction

from ..analysis import Query
from ..registry import SearchDocument
from .columns import IndexColumns


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


def matches(
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
    found = _matching_ids(spec, Query(clauses=tuple(whole)), asked)

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


def _matching_ids(
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


def _hold_terms(spec: SearchDocument, columns: IndexColumns, query: Query) -> None:
    """Read the posting lists of the query's frequent terms not held yet, in one statement,
    and hold those that really are frequent."""
    tokens = {token for clause in query.clauses for alt in clause for token in alt}
    needed = sorted(tokens & columns.term_candidates - set(columns.terms))
    if not needed:
        return
    postings = {
        alternative[0]: ids
        for alternative, ids in _matching_ids(
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
