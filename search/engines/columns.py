"""An index's filter fields as columns in this process's memory, for the database engine.

The database matches text (a GIN index on PostgreSQL, FTS5 on SQLite) and returns the ids of
the matching entries; everything after that happens here, in numpy: the filters, any-of,
facet counts, sorting and the page. Counting facets in SQL costs the database a row read and
a hash aggregation per matching entry, which for a broad search (40,000 of 100,000 talent
profiles) was over 100 ms; over arrays it is a few.

Each field keeps two arrays aligned with the entries' ids:

- ``code``: the value's position in the field's vocabulary (-1 when the entry has none), for
  equality, any-of and facet counts (``numpy.bincount``);
- ``number``: the value as a float (NaN when missing) for ranges and sorting: integers as
  they are, booleans as 0/1, dates as day numbers; keywords have none (their ranges and
  sorting go through the vocabulary, which is small).

Beside them, each entry's length in tokens (BM25's document length, search/engines/
ranking.py). On PostgreSQL the columns also hold the index's most frequent terms (held by a
tenth of the entries or more, ``terms``), read on their first use: one array each of the
entries' weighted frequencies of the term (0: not held), so a broad word is looked up and
ranked here rather than read from tens of thousands of rows (search.engines.database
decides which), and how many entries hold each term asked of PostgreSQL, until the next
write (``holding``).

A field of several keywords an entry (``keywords``) is held as a matrix of codes instead
(search/engines/keywords.py). Values are typed as the spec declares them, the same way
when indexing and when filtering, so 5 and "5" are one integer and "true" a boolean, as
Elasticsearch would coerce them. ``search.engines.database`` decides when the columns are
current; this module only holds and reads them.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import numpy as np

from .keywords import KeywordsColumn

RANGE_OPERATORS = ("gt", "gte", "lt", "lte")

Row = tuple[int, str, Mapping[str, object]]


def typed(kind: str, raw: object) -> object | None:
    """A filter value as the spec's type declares it; None when it cannot be one."""
    if raw is None:
        return None
    if kind == "keyword":
        return str(raw)
    if kind == "boolean":
        if raw in (True, 1, "true"):
            return True
        if raw in (False, 0, "false"):
            return False
        return None
    if kind == "integer":
        if isinstance(raw, bool):
            return int(raw)
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        try:
            return int(str(raw))
        except ValueError:
            return None
    # date: an ISO date, or the date part of an ISO datetime
    try:
        return date.fromisoformat(str(raw)[:10]).isoformat()
    except ValueError:
        return None


def as_number(kind: str, value: object) -> float:
    """The typed value on the number line ranges and sorting use (NaN for keywords)."""
    if value is None or kind == "keyword":
        return np.nan
    if kind == "date":
        return float(date.fromisoformat(value).toordinal())  # type: ignore[arg-type]
    return float(value)  # type: ignore[arg-type]


class FieldColumn:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.values: list[object] = []  # code → typed value
        self.codes: dict[object, int] = {}  # typed value → code
        self.code = np.empty(0, dtype=np.int32)
        self.number = np.empty(0, dtype=np.float64)
        self._seen: dict[tuple, tuple[int, float]] = {}  # (type, raw value) → (code, number)

    def encode(self, raw: object) -> tuple[int, float]:
        if isinstance(raw, list | dict):
            return (-1, np.nan)  # filter values are scalars (search.registry)
        seen = (type(raw), raw)  # True and 1 are equal keys of a dict, not the same value
        encoded = self._seen.get(seen)
        if encoded is not None:
            return encoded
        value = typed(self.kind, raw)
        if value is None:
            encoded = (-1, np.nan)
        else:
            if value not in self.codes:
                self.codes[value] = len(self.values)
                self.values.append(value)
            encoded = (self.codes[value], as_number(self.kind, value))
        self._seen[seen] = encoded
        return encoded

    def encoded(self, raws: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
        pairs = [self.encode(raw) for raw in raws]
        code = np.fromiter((pair[0] for pair in pairs), dtype=np.int32, count=len(pairs))
        number = np.fromiter((pair[1] for pair in pairs), dtype=np.float64, count=len(pairs))
        return code, number

    def code_of(self, raw: object) -> int:
        value = typed(self.kind, raw)
        return self.codes.get(value, -1) if value is not None else -1

    def sort_number(self) -> np.ndarray:
        """Numbers to sort by: keywords by their place in the sorted vocabulary."""
        if self.kind != "keyword":
            return self.number
        rank = np.empty(len(self.values) + 1, dtype=np.float64)
        order = sorted(range(len(self.values)), key=lambda code: str(self.values[code]))
        rank[order] = np.arange(len(order), dtype=np.float64)
        rank[-1] = np.nan  # code -1: no value
        return rank[self.code]

    def in_range(self, positions: np.ndarray, bounds: Mapping[str, object]) -> np.ndarray:
        unknown = set(bounds) - set(RANGE_OPERATORS)
        if unknown:
            raise ValueError(f"unknown range operators {sorted(unknown)}")
        bounds = {op: bound for op, bound in bounds.items() if bound is not None}
        if self.kind == "keyword":
            # Strings compare as strings, over the vocabulary rather than every entry.
            inside = [
                code
                for code, value in enumerate(self.values)
                if all(_compare(op, str(value), str(bound)) for op, bound in bounds.items())
            ]
            return np.isin(self.code[positions], np.array(inside, dtype=np.int32))
        numbers = self.number[positions]
        keep = ~np.isnan(numbers)
        for op, bound in bounds.items():
            limit = as_number(self.kind, typed(self.kind, bound))
            if np.isnan(limit):
                return np.zeros(len(positions), dtype=bool)
            keep &= _compare(op, numbers, limit)
        return keep

    def one_of(self, positions: np.ndarray, raws: Iterable[object]) -> np.ndarray:
        wanted = [code for code in map(self.code_of, raws) if code >= 0]
        codes = self.code[positions]
        if len(wanted) == 1:
            return codes == wanted[0]
        return np.isin(codes, np.array(wanted, dtype=np.int32))

    def counts(self, positions: np.ndarray) -> dict[object, int]:
        codes = self.code[positions]
        counted = np.bincount(codes[codes >= 0], minlength=len(self.values))
        found = {self.values[code]: int(counted[code]) for code in np.flatnonzero(counted)}
        return dict(sorted(found.items(), key=lambda kv: (-kv[1], str(kv[0]))))


def _compare(op: str, left, right):
    if op == "gt":
        return left > right
    if op == "gte":
        return left >= right
    if op == "lt":
        return left < right
    return left <= right


class IndexColumns:
    """One index's entries (id, key, alive) and filter fields, in ascending id order.

    ``version`` and ``stamp`` name the index's write (search.models.IndexVersion) these
    columns reflect."""

    def __init__(self, filter_fields: Mapping[str, str]) -> None:
        self.fields = {
            name: KeywordsColumn() if kind == "keywords" else FieldColumn(kind)
            for name, kind in filter_fields.items()
        }
        self.ids = np.empty(0, dtype=np.int64)
        self.keys = np.empty(0, dtype=object)
        self.alive = np.empty(0, dtype=bool)
        self.lengths = np.empty(0, dtype=np.int32)
        self.terms: dict[str, np.ndarray] = {}  # token → its weighted frequency in each entry
        self.holding: dict[str, int] = {}  # token → how many entries hold it
        self.term_candidates: set[str] = set()  # may be held: read on first use
        self.term_least = 0  # entries a term must be in to be held
        self.term_shares: dict[str, float] = {}  # common terms' shares of entries (estimated)
        self.version = 0
        self.stamp = ""
        self._key_rank: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.alive.sum())

    # --- Keeping the columns current -----------------------------------------------------

    def upsert(self, rows: Sequence[Row], lengths: Sequence[int] | None = None) -> None:
        """Entries written (new or changed), as (id, key, filters), and their lengths in
        tokens (1 each when not given)."""
        if not rows:
            return
        self.holding.clear()
        length = np.ones(len(rows), dtype=np.int32)
        if lengths is not None:
            length[:] = lengths
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        where = np.searchsorted(self.ids, ids)
        known = where < len(self.ids)
        known[known] = self.ids[where[known]] == ids[known]
        keys = np.empty(len(rows), dtype=object)
        keys[:] = [row[1] for row in rows]
        columns = {
            name: field.encoded([row[2].get(name) for row in rows])
            for name, field in self.fields.items()
        }
        at = where[known]
        self.keys[at] = keys[known]
        self.alive[at] = True
        self.lengths[at] = length[known]
        for name, field in self.fields.items():
            field.code[at], field.number[at] = columns[name][0][known], columns[name][1][known]
        new = ~known
        if new.any():
            self.ids = np.concatenate([self.ids, ids[new]])
            self.keys = np.concatenate([self.keys, keys[new]])
            self.alive = np.concatenate([self.alive, np.ones(int(new.sum()), dtype=bool)])
            self.lengths = np.concatenate([self.lengths, length[new]])
            absent = np.zeros(int(new.sum()), dtype=np.uint8)  # until mark_terms says otherwise
            for token, held in self.terms.items():
                self.terms[token] = np.concatenate([held, absent])
            for name, field in self.fields.items():
                field.code = np.concatenate([field.code, columns[name][0][new]])
                field.number = np.concatenate([field.number, columns[name][1][new]])
            if len(self.ids) > 1 and (np.diff(self.ids) <= 0).any():
                self._sort()
        self._key_rank = None

    def remove(self, ids: Iterable[int]) -> None:
        ids = np.fromiter(ids, dtype=np.int64)
        where = np.searchsorted(self.ids, ids)
        inside = where < len(self.ids)
        where = where[inside][self.ids[where[inside]] == ids[inside]]
        self.alive[where] = False
        self.holding.clear()

    def _sort(self) -> None:
        # Ids usually arrive in ascending order; out of order (two writers committing in the
        # other order, or duplicates in one batch) the arrays are put back in order.
        self.ids, first = np.unique(self.ids[::-1], return_index=True)
        order = len(self.keys) - 1 - first  # the last copy of an id is the newest
        self.keys, self.alive, self.lengths = (
            self.keys[order],
            self.alive[order],
            self.lengths[order],
        )
        self.terms = {token: held[order] for token, held in self.terms.items()}
        for field in self.fields.values():
            field.code, field.number = field.code[order], field.number[order]

    def hold_terms(self, postings: Mapping[str, tuple[np.ndarray, np.ndarray]]) -> None:
        """Hold these terms, each given as the ids of the entries holding it and its
        weighted frequency in each."""
        for token, (ids, frequencies) in postings.items():
            self.terms[token] = self.spread(ids, frequencies)

    def mark_terms(self, rows: Sequence[tuple[int, Mapping[str, int]]]) -> None:
        """Entries written, as (id, each token's weighted frequency): the terms held follow
        them."""
        if not self.terms or not rows:
            return
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        where = np.searchsorted(self.ids, ids)
        for token, held in self.terms.items():
            held[where] = [frequencies.get(token, 0) for _id, frequencies in rows]

    # --- Reading ----------------------------------------------------------------------

    def live(self) -> np.ndarray:
        return np.flatnonzero(self.alive)

    def positions(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions of the live entries among ids, which of ids they were)."""
        where = np.searchsorted(self.ids, ids)
        found = where < len(self.ids)
        found[found] = self.ids[where[found]] == ids[found]
        found[found] = self.alive[where[found]]
        return where[found], found

    def mask_of(self, ids: np.ndarray) -> np.ndarray:
        """Over every position: which are live entries among ids."""
        positions, _found = self.positions(ids)
        mask = np.zeros(len(self.ids), dtype=bool)
        mask[positions] = True
        return mask

    def spread(self, ids: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Over every position: the value given for each live entry among ids, else 0."""
        positions, found = self.positions(ids)
        spread = np.zeros(len(self.ids), dtype=np.uint8)
        spread[positions] = values[found]
        return spread

    def average_length(self) -> float:
        return float(self.lengths[self.alive].mean()) if self.alive.any() else 0.0

    def key_rank(self) -> np.ndarray:
        if self._key_rank is None:
            rank = np.empty(len(self.keys), dtype=np.int64)
            rank[np.argsort(self.keys.astype(str), kind="stable")] = np.arange(len(self.keys))
            self._key_rank = rank
        return self._key_rank

    def passing(
        self,
        positions: np.ndarray,
        filters: Mapping[str, object],
        any_of: Mapping[str, Sequence[object]],
    ) -> np.ndarray:
        """Which of the positions pass every filter and, if any are given, one any-of."""
        keep = np.ones(len(positions), dtype=bool)
        for name, value in filters.items():
            field = self.fields[name]
            if isinstance(value, dict):
                try:
                    keep &= field.in_range(positions, value)
                except ValueError as error:
                    raise ValueError(f"{name}: {error}") from None
            elif isinstance(value, list | tuple | set):
                keep &= field.one_of(positions, value)
            else:
                keep &= field.one_of(positions, [value])
        if any_of:
            either = np.zeros(len(positions), dtype=bool)
            for name, values in any_of.items():
                either |= self.fields[name].one_of(positions, values)
            keep &= either
        return keep

    def facets(self, positions: np.ndarray, names: Sequence[str]) -> dict[str, dict]:
        return {name: self.fields[name].counts(positions) for name in names}

    def page(
        self,
        positions: np.ndarray,
        *,
        scores: np.ndarray | None,
        sort: str | None,
        offset: int,
        size: int,
    ) -> np.ndarray:
        """The positions of one page: by a field (nulls last), else by score (lower first),
        else by key; ties by key."""
        wanted = offset + size
        if wanted <= 0 or not len(positions):
            return positions[:0]
        secondary = self.key_rank()[positions]
        primary = None
        if sort:
            numbers = self.fields[sort.lstrip("-")].sort_number()[positions]
            primary = -numbers if sort.startswith("-") else numbers.copy()
            primary[np.isnan(primary)] = np.inf
        elif scores is not None:
            primary = scores
        return positions[_top(primary, secondary, wanted)[offset:]]


def _top(primary: np.ndarray | None, secondary: np.ndarray, wanted: int) -> np.ndarray:
    """Indices of the `wanted` smallest (primary, secondary) pairs, in order, without
    sorting all of them when the page is a small part."""
    count = len(secondary)
    if primary is None:
        if wanted < count:
            chosen = np.argpartition(secondary, wanted - 1)[:wanted]
            return chosen[np.argsort(secondary[chosen])]
        return np.argsort(secondary)
    if wanted < count:
        cutoff = np.partition(primary, wanted - 1)[wanted - 1]
        chosen = np.flatnonzero(primary <= cutoff)  # ties at the cutoff all stay in the race
    else:
        chosen = np.arange(count)
    order = np.lexsort((secondary[chosen], primary[chosen]))
    return chosen[order][:wanted]
