"""The database engine's text matching on PostgreSQL: full text over the analysed tokens.

Migration 0004 keeps the narrow table ``search_indexterms`` (entry id, index, the tokens as a
tsvector under a GIN index) in step with IndexEntry; since 0005 a token of weighted
frequency n > 1 (search.registry.weighted_frequencies) has the positions 1..n in it. Terms
the columns hold in memory (search/engines/columns.py) are matched in memory instead.

Ranking (docs/adr/0023-ranking.md): BM25 in numpy (search/engines/ranking.py) over the
entries matching, from each query word's weighted frequency in them. PostgreSQL tells it
through ``ts_rank`` of the one lexeme with every weight 1: over n positions of weight 1 that
is (1 + 1/4 + … + 1/n²) / (π²/6), a different number for each n, read back with
``frequencies_from_rank``. Nothing else in PostgreSQL returns a lexeme's positions without
unnesting the whole tsvector."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import contextmanager

import numpy as np
from django.db import connection, transaction

from ..analysis import Query
from ..registry import FREQUENCY_CAP, SearchDocument
from . import ranking
from .columns import IndexColumns

Clause = tuple[tuple[str, ...], ...]
# ts_rank's weights of the labels D, C, B, A: the positions carry none, so D, weighing 1.
RANK_WEIGHTS = "{1,1,1,1}"
# What a search finds: the entries' positions, how many clauses each meets, and what scores
# any of them (their positions) by BM25, higher first.
Found = tuple[np.ndarray, np.ndarray, Callable[[np.ndarray], np.ndarray]]
# ts_rank of a lexeme with n positions (index n; a lexeme without positions is one).
RANK_OF_FREQUENCY = np.concatenate(
    [[0.0], np.cumsum(1.0 / np.arange(1, FREQUENCY_CAP + 1) ** 2) / 1.64493406685]
)


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


def frequencies_from_rank(rank: np.ndarray) -> np.ndarray:
    """The weighted frequency each ts_rank (``RANK_WEIGHTS``, one lexeme) stands for, the
    nearest in RANK_OF_FREQUENCY (ts_rank computes in single precision); 0 for 0."""
    middles = (RANK_OF_FREQUENCY[1:] + RANK_OF_FREQUENCY[:-1]) / 2
    return np.searchsorted(middles, rank).astype(np.uint8)


def matches(
    spec: SearchDocument, columns: IndexColumns, query: Query, *, narrowed: bool = False
) -> Found:
    """Positions of the entries matching at least ``query.minimum_should_match`` clauses,
    how many clauses each matches, and what scores any of them by BM25 (higher first).

    A term held in memory (``columns.terms``) is read there. The rest goes to PostgreSQL in
    one statement that reads the entries that may match enough of the clauses with no
    alternative in memory to reach the minimum with all the others (all of them when every
    clause is needed: the GIN index intersects them; else ``covering``; when the clauses in
    memory may be enough, every entry holding an alternative not in memory).

    When every clause is needed, every match meets as many and any may be on the page: the
    statement tells each term's weighted frequency in every entry it reads. Otherwise, or
    when filters or a sort (``narrowed``) may leave few of them to rank, it tells only which
    of them meet each clause (or alternative), and the matches that may reach the page are
    scored afterwards (``score``), their terms' frequencies read by id: the entries read
    meeting too few clauses, filtered out, or too few to reach the page, cost nothing
    more. Either statement also counts the entries holding each term not counted since the
    index last changed (``columns.holding``), for its rarity.
    """
    _hold_terms(spec, columns, query)
    held = columns.terms
    clauses = query.clauses
    needed = query.minimum_should_match

    def in_memory(alternative: Sequence[str]) -> bool:
        return all(token in held for token in alternative)

    asked_of_sql = [c for c in clauses if not any(in_memory(alt) for alt in c)]
    least = needed - (len(clauses) - len(asked_of_sql))
    implied = least >= 1 and least == len(asked_of_sql)  # every entry read meets them
    if implied:  # the GIN index intersects them
        where = Query(clauses=tuple(asked_of_sql))
    elif least >= 1:
        where = Query(clauses=(covering(asked_of_sql, least, columns.term_shares),))
    else:  # the clauses in memory may be enough: every entry of an alternative not in memory
        outside = tuple(alt for clause in clauses for alt in clause if not in_memory(alt))
        where = Query(clauses=(outside,) if outside else ())
    asked = [token for token in query.terms if token not in held]
    frequency = {token: held[token] for token in query.terms if token in held}
    direct = needed == len(clauses) and not narrowed
    found: dict[Clause | None, np.ndarray] = {}
    if direct and where.clauses:
        read = _frequencies(spec, _matching(spec, where), asked, columns)
        frequency.update((token, columns.spread(*read[token])) for token in asked)
    elif where.clauses:
        keys: dict[Clause, None] = {}  # what to tell of each entry read
        for clause in clauses:
            if clause not in asked_of_sql:
                keys.update(((alt,), None) for alt in clause if not in_memory(alt))
            elif not implied:
                keys[clause] = None
        found = _matching_ids(spec, tsquery(where), keys, rows=implied)

    def alternative_mask(alternative: tuple[str, ...]) -> np.ndarray:
        if not in_memory(alternative) and not direct:
            return columns.mask_of(found.get((alternative,), np.empty(0, dtype=np.int64)))
        mask = columns.alive.copy()
        for token in alternative:
            mask &= frequency.get(token, 0) > 0
        return mask

    def clause_mask(clause: Clause) -> np.ndarray:
        if clause in asked_of_sql and not direct:
            return columns.mask_of(found[None if implied else clause])
        either = np.zeros(len(columns.ids), dtype=bool)
        for alternative in clause:
            either |= alternative_mask(alternative)
        return either

    counts = np.zeros(len(columns.ids), dtype=np.int16)
    # Where a term not held may count in BM25 (an alternative with it met whole): the entries
    # meeting the clauses asked of PostgreSQL whose alternative holds it, or, in a clause with
    # an alternative in memory, those meeting its alternatives holding it.
    may_hold = {} if direct else {token: np.zeros(len(columns.ids), dtype=bool) for token in asked}
    for clause in clauses:
        mask = clause_mask(clause)
        counts += mask
        for alternative in clause:
            tokens = [token for token in alternative if token in may_hold]
            if tokens:
                met = mask if clause in asked_of_sql else alternative_mask(alternative)
                for token in tokens:
                    may_hold[token] |= met
    positions = np.flatnonzero(columns.alive & (counts >= needed))

    def score(chosen: np.ndarray) -> np.ndarray:
        if not direct and asked and len(chosen):
            # Only the chosen entries where some term not held may count are read by id: a
            # broad word held in memory no longer sends every match of it to PostgreSQL.
            wanted = np.zeros(len(chosen), dtype=bool)
            for mask in may_hold.values():
                wanted |= mask[chosen]
            read_ids = columns.ids[chosen[wanted]].tolist()
            read = _frequencies(spec, ("entry_id = ANY(%s)", [read_ids]), asked, columns)
            frequency.update((token, columns.spread(*read[token])) for token in asked)
        entries = len(columns)
        idf = {
            token: ranking.inverse_document_frequency(entries, _holding(columns, token))
            for token in query.terms
        }
        return ranking.bm25(
            query,
            lambda token: frequency[token][chosen],
            columns.lengths[chosen],
            columns.average_length(),
            idf,
        )

    return positions, counts[positions], score


def _holding(columns: IndexColumns, token: str) -> int:
    if token in columns.terms:
        return int(np.count_nonzero(columns.terms[token][columns.alive]))
    return columns.holding.get(token, 0)


def _matching(spec: SearchDocument, query: Query) -> tuple[str, list]:
    """The condition of the entries of the index matching the query, and its parameters."""
    return "index = %s AND vector @@ %s::tsquery", [spec.name, tsquery(query)]


def _frequencies(
    spec: SearchDocument,
    where: tuple[str, list],
    tokens: Sequence[str],
    columns: IndexColumns,
    *,
    count: bool = True,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """One statement over the entries meeting ``where`` (a condition and its parameters):
    their ids and each token's weighted frequency in each (0 where it is not). With
    ``count``, it also counts the entries holding each token not in ``columns.holding``, and
    records them there."""
    uncounted = [token for token in tokens if count and token not in columns.holding]
    selected = ["string_agg(int8send(entry_id), '')"]
    selected += [
        f"string_agg(float4send(ts_rank('{RANK_WEIGHTS}', vector, %s::tsquery)), '')"
        for _token in tokens
    ]
    selected += [
        "(SELECT count(*) FROM search_indexterms WHERE index = %s AND vector @@ %s::tsquery)"
        for _token in uncounted
    ]
    params: list = [_lexeme(token) for token in tokens]
    for token in uncounted:
        params += [spec.name, _lexeme(token)]
    condition, condition_params = where
    # Read by id and counting nothing, the statement needs no GIN index (nor the savepoint).
    by_id = condition.startswith("entry_id") and not uncounted
    with connection.cursor() if by_id else _through_the_gin_index() as cursor:
        cursor.execute(
            f"SELECT {', '.join(selected)} FROM search_indexterms WHERE {condition}",  # noqa: S608 - fixed
            [*params, *condition_params],
        )
        row = list(cursor.fetchone())
    ids = np.frombuffer(row[0] or b"", dtype=">i8").astype(np.int64)
    ranks = row[1 : 1 + len(tokens)]
    columns.holding.update(zip(uncounted, map(int, row[1 + len(tokens) :]), strict=True))
    return {
        token: (ids, frequencies_from_rank(np.frombuffer(rank or b"", dtype=">f4")))
        for token, rank in zip(tokens, ranks, strict=True)
    }


def _matching_ids(
    spec: SearchDocument, where: str, keys: Iterable[Clause], *, rows: bool
) -> dict[Clause | None, np.ndarray]:
    """One statement over the entries matching the tsquery ``where``: their ids (under
    None, when ``rows``) and those of them matching each key (a clause)."""
    keys = [*([None] if rows else []), *keys]
    columns_sql = [
        "string_agg(int8send(entry_id), '')"
        if key is None
        else "string_agg(int8send(entry_id), '') FILTER (WHERE vector @@ %s::tsquery)"
        for key in keys
    ]
    params = [tsquery(Query(clauses=(key,))) for key in keys if key is not None]
    with _through_the_gin_index() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns_sql)} FROM search_indexterms "  # noqa: S608 - fixed
            "WHERE index = %s AND vector @@ %s::tsquery",
            [*params, spec.name, where],
        )
        packed = list(cursor.fetchone())
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
    where = _matching(spec, Query(clauses=(tuple((token,) for token in needed),)))
    # Every entry holding one of them is read: no need to count them apart.
    postings = _frequencies(spec, where, needed, columns, count=False)
    holding = {token: np.count_nonzero(found) for token, (_ids, found) in postings.items()}
    columns.hold_terms(
        {
            token: posting
            for token, posting in postings.items()
            if holding[token] >= columns.term_least
        }
    )
    columns.holding.update((token, int(count)) for token, count in holding.items())
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
