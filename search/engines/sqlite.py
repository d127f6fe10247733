"""The database engine's text matching on SQLite: an FTS5 table over the analysed tokens.

Migration 0002 creates the table and the triggers that keep it in step with IndexEntry."""

from collections.abc import Sequence

import numpy as np
from django.db import connection

from ..analysis import Query
from .columns import IndexColumns

FTS_TABLE = "search_indexentry_fts"
FROM_MATCH = f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"


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


def matches(columns: IndexColumns, query: Query) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions of the entries matching at least ``query.minimum_should_match`` clauses,
    how many clauses each matches, and their bm25 (lower is better).

    When every clause is needed, one MATCH of all of them. Otherwise each clause is matched
    on its own, in one statement, and an entry's bm25 is the sum of its clauses' (FTS5's
    bm25 of a query is the sum over its phrases, so this is the bm25 of the clauses it
    matches)."""
    clauses = query.clauses
    if query.minimum_should_match == len(clauses):
        rows = _rows(f"SELECT 0, rowid, bm25({FTS_TABLE}) {FROM_MATCH}", [fts5_match(query)])
    else:
        arms = [f"SELECT {n}, rowid, bm25({FTS_TABLE}) {FROM_MATCH}" for n in range(len(clauses))]
        rows = _rows(" UNION ALL ".join(arms), [_clause(clause) for clause in clauses])
    ids = np.fromiter((row[1] for row in rows), dtype=np.int64, count=len(rows))
    scores = np.fromiter((row[2] for row in rows), dtype=np.float64, count=len(rows))
    if query.minimum_should_match == len(clauses):
        matched = np.full(len(rows), len(clauses), dtype=np.int16)
    else:
        ids, each = np.unique(ids, return_inverse=True)
        matched = np.bincount(each, minlength=len(ids)).astype(np.int16)
        scores = np.bincount(each, weights=scores, minlength=len(ids))
        enough = matched >= query.minimum_should_match
        ids, matched, scores = ids[enough], matched[enough], scores[enough]
    positions, found = columns.positions(ids)
    return positions, matched[found], scores[found]


def _rows(sql: str, params: Sequence[str]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
