"""BM25 with field weights, as the database engine computes it over PostgreSQL's matches.

Every engine ranks the matches meeting as many of a query's clauses by BM25 over the weighted
frequencies of the query's words (docs/adr/0023-ranking.md): each occurrence counts as its
field's weight (search.registry.Weight), the length is the document's count of tokens.
SQLite's FTS5 ``bm25()`` computes the same with a column per weight; Elasticsearch's
``combined_fields`` query (BM25F) with the weights as field boosts. Here, with Lucene's
(Elasticsearch's) inverse document frequency, which stays positive for a word most documents
hold (FTS5's floors it at 1e-6 there).

A document's score is the sum, over the clauses' alternatives it holds whole, of each of the
alternative's words: ``idf(word) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length /
average length))``.
"""

from collections.abc import Callable, Sequence

import numpy as np

from ..analysis import Query

# FTS5's and Elasticsearch's defaults.
K1 = 1.2
B = 0.75

Frequencies = Callable[[str], np.ndarray]


def inverse_document_frequency(entries: int, holding: int) -> float:
    """Lucene's: log(1 + (N - n + 0.5) / (n + 0.5)), always above 0."""
    return float(np.log(1 + (entries - holding + 0.5) / (holding + 0.5)))


def term_weight(frequency: np.ndarray, length: np.ndarray, average_length: float) -> np.ndarray:
    """BM25's saturating weight of a term's (weighted) frequency in documents of ``length``
    tokens; 0 where the frequency is 0."""
    frequency = frequency.astype(np.float64)
    norm = K1 * (1 - B + B * length / max(average_length, 1.0))
    return frequency * (K1 + 1) / (frequency + norm)


def bm25(
    query: Query,
    frequencies: Frequencies,
    length: np.ndarray,
    average_length: float,
    idf: dict[str, float],
) -> np.ndarray:
    """Scores of documents (higher is better), given each query word's weighted frequency in
    them (``frequencies(word)``, aligned with ``length``) and each word's ``idf``."""
    score = np.zeros(len(length), dtype=np.float64)
    weights: dict[str, np.ndarray] = {}
    for clause in query.clauses:
        for alternative in clause:
            held = _holding(alternative, frequencies, len(length))
            if not held.any():
                continue
            for token in alternative:
                if token not in weights:
                    weights[token] = term_weight(frequencies(token), length, average_length)
                score += np.where(held, idf[token] * weights[token], 0.0)
    return score


def _holding(alternative: Sequence[str], frequencies: Frequencies, size: int) -> np.ndarray:
    held = np.ones(size, dtype=bool)
    for token in alternative:
        held &= frequencies(token) > 0
    return held
