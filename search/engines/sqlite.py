"""The database engine's text matching on SQLite: an FTS5 table over the analysed tokens.

Migration 0002 creates the table and the triggers that keep it in step with IndexEntry;
0005 gives it a column per weight (search.registry.WEIGHTS), which ``bm25()`` weighs as the
weights say: BM25 with field weights, as on the other engines (docs/adr/0023-ranking.md)."""

from collections.abc import Callable, Sequence

import numpy as np
from django.db import connection

from ..analysis import Query
from ..registry import WEIGHTS
from .columns import IndexColumns

FTS_TABLE = "search_indexentry_fts"
FROM_MATCH = f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
# bm25() of the row, its columns weighed as their fields are (lower is better).
BM25 = f"bm25({FTS_TABLE}, {', '.join(str(float(weight)) for weight in WEIGHTS)})"


def _string(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _clause(clause: tuple[tuple[str, ...], ...]) -> str:
    """(("a") OR ("b" AND "c")): any alternative, each by all its tokens."""
    alternatives = ("(" + " AND ".join(map(_string, alt)) + ")" for alt in clause)
    return "(" + " OR ".join(alternatives) + ")"


def fts5_match(query: Query) -> str:
    """("a") AND (("b") OR ("c" AND "d")): every clause, in FTS5 syntax, each token an FTS5
    string."""
    return " AND ".join(_clause(clause) for clause in query.clauses)


def matches(
    columns: IndexColumns, query: Query
) -> tuple[np.ndarray, np.ndarray, Callable[[np.ndarray], np.ndarray]]:
    """Positions of the entries matching at least ``query.minimum_should_match`` clauses,
    how many clauses each matches, and what gives any of them (their positions) its score,
    higher first (bm25() is lower first).

    When every clause is needed: one MATCH of all of them, scored by FTS5's bm25. Otherwise
    each clause is matched on its own, in one statement, with bm25 of the clause; an
    entry's score is the sum over the clauses it matches, which is bm25 of the words it
    holds (bm25 sums over a query's phrases)."""
    clauses = query.clauses
    needed = query.minimum_should_match
    if needed == len(clauses):
        rows = _rows(f"SELECT rowid, {BM25} {FROM_MATCH}", [fts5_match(query)])
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        scores = np.fromiter((row[1] for row in rows), dtype=np.float64, count=len(rows))
        positions, found = columns.positions(ids)
        matched = np.full(len(positions), needed, dtype=np.int16)
        return positions, matched, _scorer(columns, positions, scores[found])
    # bm25() may not be an aggregate's argument: a subquery's column, kept apart by its
    # LIMIT (SQLite would otherwise flatten it into the aggregate).
    each_clause = ", ".join(
        f"(SELECT group_concat(rowid || ' ' || score, ' ') FROM "  # noqa: S608 - fixed
        f"(SELECT rowid, {BM25} AS score {FROM_MATCH} LIMIT -1))"
        for _ in clauses
    )
    packed = _rows(f"SELECT {each_clause}", [_clause(clause) for clause in clauses])[0]
    pairs = [np.fromstring(found or "", dtype=np.float64, sep=" ") for found in packed]
    # The FTS5 table holds every index: each clause's entries of this one, by position.
    postings = [columns.positions(pair[0::2].astype(np.int64)) for pair in pairs]
    positions, entry = np.unique(
        np.concatenate([found for found, _which in postings]), return_inverse=True
    )
    matched = np.bincount(entry, minlength=len(positions)).astype(np.int16)
    weights = np.concatenate(
        [pair[1::2][which] for pair, (_found, which) in zip(pairs, postings, strict=True)]
    )
    scores = np.bincount(entry, weights=weights, minlength=len(positions))
    enough = matched >= needed
    return positions[enough], matched[enough], _scorer(columns, positions[enough], scores[enough])


def _scorer(
    columns: IndexColumns, positions: np.ndarray, bm25: np.ndarray
) -> Callable[[np.ndarray], np.ndarray]:
    by_position = np.zeros(len(columns.ids), dtype=np.float64)
    by_position[positions] = -bm25
    return lambda chosen: by_position[chosen]


def _rows(sql: str, params: Sequence[str]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
