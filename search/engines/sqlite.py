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
    how many clauses each matches, and their scores (lower is better).

    When every clause is needed: one MATCH of all of them, scored by FTS5's bm25. Otherwise
    each clause is matched on its own, in one statement, for the ids only; an entry's score
    is then BM25's inverse document frequency summed over the clauses it matches (rarer
    words weigh more), from how many entries match each clause. FTS5's bm25 would read
    every match's positions, of every clause, at about three times the cost."""
    clauses = query.clauses
    needed = query.minimum_should_match
    if needed == len(clauses):
        rows = _rows(f"SELECT rowid, bm25({FTS_TABLE}) {FROM_MATCH}", [fts5_match(query)])
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        scores = np.fromiter((row[1] for row in rows), dtype=np.float64, count=len(rows))
        positions, found = columns.positions(ids)
        return positions, np.full(len(positions), needed, dtype=np.int16), scores[found]
    each_clause = ", ".join(f"(SELECT group_concat(rowid) {FROM_MATCH})" for _ in clauses)
    packed = _rows(f"SELECT {each_clause}", [_clause(clause) for clause in clauses])[0]
    # The FTS5 table holds every index: each clause's entries of this one, by position.
    postings = [
        columns.positions(np.fromstring(ids or "", dtype=np.int64, sep=","))[0] for ids in packed
    ]
    positions, entry = np.unique(np.concatenate(postings), return_inverse=True)
    matched = np.bincount(entry, minlength=len(positions)).astype(np.int16)
    found_by = np.array([len(posting) for posting in postings], dtype=np.float64)
    entries = max(len(columns), 1)
    rarity = np.log((entries - found_by + 0.5) / (found_by + 0.5) + 1)
    weights = np.repeat(rarity, [len(posting) for posting in postings])
    scores = -np.bincount(entry, weights=weights, minlength=len(positions))
    enough = matched >= needed
    return positions[enough], matched[enough], scores[enough]


def _rows(sql: str, params: Sequence[str]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
