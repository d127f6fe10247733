"""The database engine's text matching on SQLite: an FTS5 table over the analysed tokens.

Migration 0002 creates the table and the triggers that keep it in step with IndexEntry."""

from collections.abc import Sequence

import numpy as np
from django.db import connection

from ..analysis import Query
from .columns import IndexColumns

FTS_TABLE = "search_indexentry_fts"


def fts5_match(query: Query) -> str:
    """("a") AND (("b") OR ("c" AND "d")): FTS5 syntax, each token an FTS5 string."""

    def string(token: str) -> str:
        return '"' + token.replace('"', '""') + '"'

    def alternative(tokens: Sequence[str]) -> str:
        return "(" + " AND ".join(string(token) for token in tokens) + ")"

    return " AND ".join(
        "(" + " OR ".join(alternative(alt) for alt in clause) + ")" for clause in query.clauses
    )


def matches(columns: IndexColumns, query: Query) -> tuple[np.ndarray, np.ndarray]:
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
