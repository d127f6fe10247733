"""The merged synonym list: the built-in groups (search/data/synonyms.txt) and the admin's rows,
and the queries expanded with it (``tokens_for_query``).

Synonyms expand at query time only (docs/adr/0009-chinese-analysis.md): an admin's new row
works at once, without reindexing anything. The table is kept in Django's cache, shared by
every process, and dropped whenever a row is saved or deleted (signal_handlers.py).
"""

from collections.abc import Iterable

from django.core.cache import cache

from . import lexicon
from .analysis import Query, Tokens, default_analyzer, expand
from .models import Synonym

# The built-in files decide the tokens too: a deployment that changes them gets a new key.
CACHE_KEY = "search:synonyms:{fingerprint}"
# A bound on staleness should a rebuild race a save; saves clear the key at once anyway.
CACHE_SECONDS = 3600


def _cache_key() -> str:
    return CACHE_KEY.format(fingerprint=lexicon.fingerprint())


def synonym_groups() -> list[tuple[str, ...]]:
    """Built-in groups first, then one group per admin row (its term and equivalents); the
    built-in one-way lines are ``lexicon.builtin_one_way``."""
    rows = Synonym.objects.order_by("term")
    admin_groups = [(row.term, *row.equivalent_list()) for row in rows]
    return [*lexicon.builtin_synonyms(), *admin_groups]


def table_build(
    groups: Iterable[tuple[str, ...]],
    one_way: Iterable[tuple[tuple[str, ...], tuple[str, ...]]] = (),
) -> dict[Tokens, tuple[Tokens, ...]]:
    """Each word's query tokens → the query tokens of itself and of every word sharing a
    group with it. A word in two groups gets both groups' words (not their closure).

    ``one_way``: (broader, narrower) words. A broader word also gets each narrower word
    and that word's own group (村官 → 村主任 → 村长), which a narrower word does not get
    back (村长 finds no 村干部)."""
    analyzer = default_analyzer()

    def spelled(words: Iterable[str]) -> list[Tokens]:
        spellings = (tuple(analyzer.query_tokens(word)) for word in words)
        return list(dict.fromkeys(tokens for tokens in spellings if tokens))

    table: dict[Tokens, dict[Tokens, None]] = {}
    for group in groups:
        words = spelled(group)
        if len(words) < 2:
            continue
        for tokens in words:
            table.setdefault(tokens, {tokens: None}).update(dict.fromkeys(words))
    symmetric = {tokens: list(alternatives) for tokens, alternatives in table.items()}
    for broader, narrower in one_way:
        found = [
            alternative
            for tokens in spelled(narrower)
            for alternative in symmetric.get(tokens, [tokens])
        ]
        for tokens in spelled(broader):
            table.setdefault(tokens, {tokens: None}).update(dict.fromkeys(found))
    return {tokens: tuple(alternatives) for tokens, alternatives in table.items()}


def synonym_table() -> dict[Tokens, tuple[Tokens, ...]]:
    """The merged table, from the cache when it is there."""
    key = _cache_key()
    table = cache.get(key)
    if table is None:
        table = table_build(synonym_groups(), lexicon.builtin_one_way())
        cache.set(key, table, timeout=CACHE_SECONDS)
    return table


def synonym_cache_clear() -> None:
    cache.delete(_cache_key())


def tokens_for_query(text: str, *, synonyms: bool = True) -> Query:
    """What a query asks for, with the merged synonym list applied (unless ``synonyms`` is
    false): the analysis reads no database, this does."""
    tokens, question = default_analyzer().query_words(text)
    return expand(tokens, synonym_table() if synonyms else {}, question=question)
