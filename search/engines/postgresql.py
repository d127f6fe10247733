"""The database engine's text matching on PostgreSQL: full text over the analysed tokens.

Migration 0004 keeps the narrow table ``search_indexterms`` (entry id, index, the tokens as a
tsvector under a GIN index) in step with IndexEntry. Terms the columns hold in memory
(search/engines/columns.py) are matched in memory instead."""

from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager

import numpy as np
from django.db import connection, transaction

from ..analysis import Query
from ..registry import SearchDocument
from .columns import IndexColumns

Clause = tuple[tuple[str, ...], ...]


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _clause(clause: Clause) -> str:
    """( ( 'a' ) | ( 'b' & 'c' ) ): any alternative, each by all its tokens."""
    alternatives = (" & ".join(_lexeme(token) for token in alt) for alt in clause)
    return "( " + " | ".join(f"( {alternative} )" for alternative in alternatives) + " )"


def tsquery(query: Query) -> str:
    """'a' & ( 'b' | 'c' & 'd' ): every clause, in tsquery input syntax, tokens quoted."""
    return " & ".join(_clause(clause) for clause in query.clauses)


def covering(clauses: Sequence[Clause], least: int, shares: Mapping[str, float]) -> Clause:
    """Alternatives one of which every entry matching ``least`` of the clauses holds: those
    of any ``len(clauses) - least + 1`` clauses, so of the rarest (by ``shares``, from the
    statistics; a term they do not list is rarer than those they do). Reading the entries
    holding any of them costs less than having the GIN index weigh every combination of
    ``least`` clauses (an OR of ANDs over long posting lists)."""

    def share(clause: Clause) -> float:
        return sum(min(shares.get(token, 0.0) for token in alt) for alt in clause)

    rarest = sorted(clauses, key=share)[: len(clauses) - least + 1]
    return tuple(alt for clause in rarest for alt in clause)


def matches(
    spec: SearchDocument, columns: IndexColumns, query: Query
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Positions of the entries matching at least ``query.minimum_should_match`` clauses,
    how many clauses each matches, and, where they can differ, their scores.

    Score: how many of the clauses an entry matches it matches only through a synonym
    (fewer first), so the words as typed come first. ts_rank would say little more (the
    tsvectors hold no positions or weights) and costs more per match than the match itself.

    An alternative made only of terms held in memory (``columns.terms``) is evaluated there.
    The rest goes to PostgreSQL in one statement. It reads the entries that may match
    enough of the clauses with no alternative in memory to reach the minimum with all the
    others (all of them when every clause is needed: the GIN index intersects them; else
    ``covering``), and tells which of those entries match each clause or alternative
    still unknown.
    """
    _hold_terms(spec, columns, query)
    held = columns.terms
    clauses = query.clauses
    needed = query.minimum_should_match

    def in_memory(alternative: Sequence[str]) -> bool:
        return all(token in held for token in alternative)

    asked_of_sql = [c for c in clauses if not any(in_memory(alt) for alt in c)]
    least = needed - (len(clauses) - len(asked_of_sql))
    implied = least >= 1 and least == len(asked_of_sql)  # every entry read matches them
    ranked = any(len(clause) > 1 for clause in clauses)
    keys: dict[Clause, None] = {}  # what to tell of each entry read
    for clause in clauses:
        if clause not in asked_of_sql:
            keys.update(((alt,), None) for alt in clause if not in_memory(alt))
            continue
        if not implied:
            keys[clause] = None
        if ranked and len(clause) > 1:
            keys[(clause[0],)] = None
    found = {}
    if implied:  # the GIN index intersects them
        found = _matching_ids(spec, tsquery(Query(clauses=tuple(asked_of_sql))), keys, rows=True)
    elif least >= 1:
        cover = Query(clauses=(covering(asked_of_sql, least, columns.term_shares),))
        found = _matching_ids(spec, tsquery(cover), keys, rows=False)
    elif keys:  # the clauses in memory may be enough: read every entry of the others
        anything = Query(clauses=(tuple(alt for key in keys for alt in key),))
        found = _matching_ids(spec, tsquery(anything), keys, rows=False)

    def alternative_mask(alternative: tuple[str, ...]) -> np.ndarray:
        if not in_memory(alternative):
            return columns.mask_of(found[(alternative,)])
        mask = columns.alive.copy()
        for token in alternative:
            mask &= held[token]
        return mask

    def clause_mask(clause: Clause) -> np.ndarray:
        if clause in asked_of_sql:
            return columns.mask_of(found[None if implied else clause])
        either = np.zeros(len(columns.ids), dtype=bool)
        for alternative in clause:
            either |= alternative_mask(alternative)
        return either

    masks = [clause_mask(clause) for clause in clauses]
    if needed == len(clauses):  # every clause: no need to count
        matching = columns.alive.copy()
        for mask in masks:
            matching &= mask
        positions = np.flatnonzero(matching)
        matched = np.full(len(positions), needed, dtype=np.int16)
    else:
        counts = np.zeros(len(columns.ids), dtype=np.int16)
        for mask in masks:
            counts += mask
        positions = np.flatnonzero(columns.alive & (counts >= needed))
        matched = counts[positions]
    if not ranked:
        return positions, matched, None
    by_synonym = np.zeros(len(columns.ids), dtype=np.int16)
    for clause, mask in zip(clauses, masks, strict=True):
        if len(clause) > 1:
            by_synonym += mask & ~alternative_mask(clause[0])
    return positions, matched, by_synonym[positions].astype(np.float64)


def _matching_ids(
    spec: SearchDocument, where: str, keys: Iterable[Clause], *, rows: bool
) -> dict[Clause | None, np.ndarray]:
    """One statement over the entries matching the tsquery ``where``: their ids (under
    None, when ``rows``) and those of them matching each key (a clause)."""
    keys = list(keys)
    columns_sql, params = [], []
    if rows:
        columns_sql.append("string_agg(int8send(entry_id), '')")
    for key in keys:
        columns_sql.append(
            "string_agg(int8send(entry_id), '') FILTER (WHERE vector @@ %s::tsquery)"
        )
        params.append(tsquery(Query(clauses=(key,))))
    with _through_the_gin_index() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns_sql)} FROM search_indexterms "  # noqa: S608 - fixed
            "WHERE index = %s AND vector @@ %s::tsquery",
            [*params, spec.name, where],
        )
        packed = list(cursor.fetchone())
    names: list[Clause | None] = [*([None] if rows else []), *keys]
    return {
        name: np.frombuffer(value or b"", dtype=">i8").astype(np.int64)
        for name, value in zip(names, packed, strict=True)
    }


def _hold_terms(spec: SearchDocument, columns: IndexColumns, query: Query) -> None:
    """Read the posting lists of the query's frequent terms not held yet, in one statement,
    and hold those that really are frequent."""
    tokens = {token for clause in query.clauses for alt in clause for token in alt}
    needed = sorted(tokens & columns.term_candidates - set(columns.terms))
    if not needed:
        return
    keys = [((token,),) for token in needed]
    where = tsquery(Query(clauses=(tuple((token,) for token in needed),)))
    postings = {key[0][0]: ids for key, ids in _matching_ids(spec, where, keys, rows=False).items()}
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
