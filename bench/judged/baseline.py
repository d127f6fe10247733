"""A plain baseline over the judged documents, in Python: jieba's words (rjieba, its Rust
port, default mode) of the normalised text (half-width, simplified, lower case: the same
``search.analysis.normalize``), ranked by Okapi BM25 (rank_bm25, k1 1.5, b 0.75), any query
word enough. No sub-words, synonyms, pinyin, question words or field weights: what the
engines' analysis and ranking add is measured against it."""

import functools
from collections.abc import Mapping

from . import FIELDS, RECALL_AT, documents, query_filters, specs


def _words(text: str) -> list[str]:
    from search.analysis import default_analyzer, normalize

    segmenter = default_analyzer().segmenter
    return [word for word in segmenter.cut(normalize(text)) if any(c.isalnum() for c in word)]


@functools.cache
def _index(kind: str):
    from rank_bm25 import BM25Okapi

    from search.registry import document_source

    spec = specs()[kind]
    keys, fields, corpus = [], [], []
    for raw in documents(kind):
        document = FIELDS[kind](raw)
        # Every field's text alike, whatever its weight: the baseline knows no fields.
        lines = [part for text, names in document_source(spec, document) for part in (text, *names)]
        keys.append(raw["id"])
        fields.append(document)
        corpus.append(_words("\n".join(lines)))
    return keys, fields, BM25Okapi(corpus)


def _passes(document: Mapping, filters: Mapping) -> bool:
    for name, wanted in filters.items():
        value = document.get(name)
        if isinstance(wanted, dict):
            if value is None or not wanted.get("gte", value) <= value <= wanted.get("lte", value):
                return False
        elif isinstance(wanted, list):
            if value not in wanted:
                return False
        elif value != wanted:
            return False
    return True


def baseline_ranking(query: Mapping) -> list[str]:
    keys, fields, bm25 = _index(query["index"])
    words = _words(query["text"])
    scores = bm25.get_scores(words)
    filters = query_filters(query)
    held = [
        (score, position)
        for position, score in enumerate(scores)
        if any(word in bm25.doc_freqs[position] for word in words)
        and _passes(fields[position], filters)
    ]
    held.sort(key=lambda item: (-item[0], item[1]))
    return [keys[position] for _score, position in held[:RECALL_AT]]
