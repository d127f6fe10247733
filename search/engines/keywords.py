"""A filter field holding several keywords an entry (a profile's trainings), as columns.

Kept beside the scalar fields of search/engines/columns.py and read the same way: the
entries' values as codes into the field's vocabulary, here a matrix with a row per entry
and as many columns as the entry with the most values needs (-1 where a row has fewer).
Equality and facet counts work over the codes of the positions asked, as for a scalar
field. A substring filter (``{"contains": ...}``) looks the words up in the vocabulary (a
county's distinct training names: tens to a few thousand, however many profiles hold them),
remembering which values hold each word, then keeps the rows holding one of those codes: no
entry's text is read again, and nothing is asked of the database.

A filter's value for such a field:

- a keyword or a list of keywords: entries holding one of them (as Elasticsearch's
  ``term``/``terms`` on a keyword array);
- ``{"contains": words}``: entries with a value containing one of the words;
  ``{"contains": [words, words, …]}`` (a list of lists): a value for each list (a base
  search's training and the recruiter's both hold).
"""

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

CONTAINS = "contains"
NO_CODES = np.empty(0, dtype=np.int32)


def contains_groups(bounds: Mapping[str, object]) -> list[list[str]]:
    """The groups of words a ``{"contains": ...}`` filter asks for, each met by any word."""
    unknown = set(bounds) - {CONTAINS}
    if unknown:
        raise ValueError(f"unknown operators {sorted(unknown)} (keywords take only {CONTAINS})")
    words = bounds.get(CONTAINS) or []
    if isinstance(words, str):
        return [[words]]
    if all(isinstance(word, str) for word in words):  # type: ignore[union-attr]
        return [list(words)]  # type: ignore[arg-type]
    return [[str(word) for word in group] for group in words]  # type: ignore[union-attr]


def keywords_of(raw: object) -> list[str]:
    """An entry's values: a keyword or a list of them, blank ones left out, each once."""
    if raw is None:
        return []
    values = [raw] if isinstance(raw, str) else raw if isinstance(raw, list | tuple) else []
    return list(dict.fromkeys(str(value) for value in values if str(value)))


class KeywordsColumn:
    """Several keywords per entry. ``code`` is a matrix (entries × widest row) of codes,
    ``number`` is there for the columns' bookkeeping only: such a field does not sort."""

    kind = "keywords"

    def __init__(self) -> None:
        self.values: list[str] = []  # code → value
        self.codes: dict[str, int] = {}  # value → code
        self.code = np.full((0, 1), -1, dtype=np.int32)
        self.number = np.empty(0, dtype=np.float64)
        self._holding: dict[str, tuple[int, np.ndarray]] = {}  # word → (values seen, codes)

    def _code(self, value: str) -> int:
        if value not in self.codes:
            self.codes[value] = len(self.values)
            self.values.append(value)
        return self.codes[value]

    def encoded(self, raws: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
        rows = [[self._code(value) for value in keywords_of(raw)] for raw in raws]
        width = max([self.code.shape[1], *map(len, rows)])
        if width > self.code.shape[1]:  # a row with more values than any before: widen all
            wider = np.full((len(self.code), width), -1, dtype=np.int32)
            wider[:, : self.code.shape[1]] = self.code
            self.code = wider
        code = np.full((len(rows), width), -1, dtype=np.int32)
        for row, codes in enumerate(rows):
            code[row, : len(codes)] = codes
        return code, np.full(len(rows), np.nan)

    def sort_number(self) -> np.ndarray:
        raise ValueError("a field of several keywords does not sort")

    def _holding_codes(self, word: str) -> np.ndarray:
        """The codes of the values containing ``word``; the vocabulary only grows, so only
        the values added since the word was last looked up are read."""
        seen, codes = self._holding.get(word, (0, NO_CODES))
        if seen < len(self.values):
            new = [code for code in range(seen, len(self.values)) if word in self.values[code]]
            codes = np.concatenate([codes, np.array(new, dtype=np.int32)])
            self._holding[word] = (len(self.values), codes)
        return codes

    def _holds(self, positions: np.ndarray, codes: np.ndarray) -> np.ndarray:
        if not len(codes):
            return np.zeros(len(positions), dtype=bool)
        # A lookup table over the vocabulary, its last item (code -1, no value) false.
        wanted = np.zeros(len(self.values) + 1, dtype=bool)
        wanted[codes] = True
        held = wanted[self.code[positions, 0]]
        for column in range(1, self.code.shape[1]):  # a few: column by column is quicker
            held |= wanted[self.code[positions, column]]
        return held

    def in_range(self, positions: np.ndarray, bounds: Mapping[str, object]) -> np.ndarray:
        keep = np.ones(len(positions), dtype=bool)
        for group in contains_groups(bounds):
            codes = [self._holding_codes(word) for word in group if word]
            keep &= self._holds(positions, np.unique(np.concatenate([NO_CODES, *codes])))
        return keep

    def one_of(self, positions: np.ndarray, raws: Iterable[object]) -> np.ndarray:
        wanted = [self.codes[value] for value in map(str, raws) if value in self.codes]
        return self._holds(positions, np.array(wanted, dtype=np.int32))

    def counts(self, positions: np.ndarray) -> dict[object, int]:
        codes = self.code[positions].ravel()
        counted = np.bincount(codes[codes >= 0], minlength=len(self.values))
        found = {self.values[code]: int(counted[code]) for code in np.flatnonzero(counted)}
        return dict(sorted(found.items(), key=lambda kv: (-kv[1], str(kv[0]))))
