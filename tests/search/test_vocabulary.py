"""search/data/synonyms.txt, the domain's vocabulary: the file parses, every group finds its
words both ways (by the analysis and by the database engine), and no word stands in two groups
unless it is named here with the reason."""

import functools
import itertools
from collections import defaultdict

import pytest

from search import lexicon
from search.analysis import Query, default_analyzer, expand, normalize, tokens_for_index
from search.registry import SearchDocument, register, unregister
from search.selectors import document_search
from search.services import index_rebuild
from search.synonyms import table_build

# Each word is looked for alone (as a profile's city, occupation or skill holds it) and inside
# this sentence, where jieba must not join it with its neighbours.
SENTENCE = "我在{}工作"

# Words that may stand in two groups, each with the reason; a word in two groups finds the
# words of both, and the two groups' words do not find each other. None does today.
SHARED_WORDS: dict[str, str] = {}


def _raw_groups() -> list[tuple[int, list[str]]]:
    """(line number, words as written) for each line that is not blank or a comment."""
    lines = lexicon.SYNONYMS.read_text("utf-8").splitlines()
    groups = []
    for number, line in enumerate(lines, start=1):
        content = line.split("#", 1)[0].strip()
        if content:  # a one-way line's words, both sides
            words = content.replace(lexicon.ONE_WAY, ",").split(",")
            groups.append((number, [word.strip() for word in words]))
    return groups


GROUPS = lexicon.builtin_synonyms()


def _label(group: tuple[str, ...]) -> str:
    return "/".join(group)


ONE_WAY = lexicon.builtin_one_way()


@functools.cache
def _built_in_table():
    return table_build(GROUPS, ONE_WAY)


def _query(word: str, *, synonyms: bool = True) -> Query:
    """The query for ``word`` with the built-in list alone (no admin rows)."""
    tokens = default_analyzer().query_tokens(word)
    return expand(tokens, _built_in_table() if synonyms else {})


def _spelling(word: str) -> tuple[str, ...]:
    return tuple(default_analyzer().query_tokens(word))


# --- The file ---------------------------------------------------------------------------


def test_the_list_holds_the_domain_vocabulary():
    """Party work, floating members, labour, farming, trades, the army, schools, places."""
    assert len(GROUPS) >= 200
    words = {word for group in GROUPS for word in group}
    for word in ("三会一课", "欠薪", "洋芋", "电工证", "退役军人", "个体工商户", "粤", "深圳"):
        assert word in words


def test_every_line_is_a_group_of_at_least_two_words_without_empty_ones():
    problems = [
        f"line {number}: {words}"
        for number, words in _raw_groups()
        if len(words) < 2 or not all(words)
    ]
    assert problems == []


def test_every_word_is_simplified_and_analyses_to_tokens():
    """Traditional input folds to simplified, so a traditional word here would be dead; a
    word of punctuation or function words alone would give the query nothing to look for."""
    problems = [
        f"{_label(group)}: {word}"
        for group in GROUPS
        for word in group
        if normalize(word) != word.lower() or not _spelling(word)
    ]
    assert problems == []


def test_no_group_repeats_a_word_or_its_spelling():
    """Two words of a group that analyse to the same tokens are one word twice."""
    problems = []
    for group in GROUPS:
        spellings = [_spelling(word) for word in group]
        if len(set(spellings)) != len(spellings):
            problems.append(_label(group))
    assert problems == []


def test_a_word_stands_in_one_group_unless_named_with_the_reason():
    """A word in two groups would make each group's words find the other's meaning; a word is
    compared by its tokens, so 電商 or A2驾照 beside 电商 or a2驾照 count as the same word."""
    groups_of: dict[tuple[str, ...], set[str]] = defaultdict(set)
    words_of: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for group in GROUPS:
        for word in group:
            groups_of[_spelling(word)].add(_label(group))
            words_of[_spelling(word)].add(word)
    shared = {spelling: sorted(labels) for spelling, labels in groups_of.items() if len(labels) > 1}
    unexplained = {
        spelling: labels
        for spelling, labels in shared.items()
        if not words_of[spelling] & SHARED_WORDS.keys()
    }
    assert unexplained == {}
    stale = [word for word in SHARED_WORDS if len(groups_of[_spelling(word)]) < 2]
    assert stale == []


# --- Each group, by the analysis --------------------------------------------------------


@functools.cache
def _pair_needing_the_group(group: tuple[str, ...]) -> tuple[str, str] | None:
    """(query, word): the first two words of the group that only the group connects."""
    for query, word in itertools.permutations(group, 2):
        if not _query(query, synonyms=False).matches(tokens_for_index(word)):
            return query, word
    return None


@pytest.mark.parametrize("group", GROUPS, ids=_label)
def test_each_word_of_a_group_finds_every_other(group):
    """A text holding any word of the group, alone or in a sentence, is found by a query for
    any other; and the group is needed: some pair is not found without it."""
    misses = [
        f"{query} → {text}"
        for query, word in itertools.permutations(group, 2)
        for text in (word, SENTENCE.format(word))
        if not _query(query).matches(tokens_for_index(text))
    ]
    assert misses == [], f"group {_label(group)}"
    assert _pair_needing_the_group(group), f"group {_label(group)} finds nothing without itself"


# --- Each group, by the database engine --------------------------------------------------


def _vocabulary_load(keys):
    for key, group in enumerate(GROUPS):
        pair = _pair_needing_the_group(group)
        if pair and (keys is None or str(key) in keys):
            yield str(key), {"text": SENTENCE.format(pair[1]), "group": str(key)}


@pytest.fixture
def vocabulary_index():
    """One tiny document a group, holding the word only the group connects to another."""
    spec = register(
        SearchDocument(
            name="vocabulary",
            load=_vocabulary_load,
            text_fields=("text",),
            filter_fields={"group": "keyword"},
            count=lambda: len(GROUPS),
        )
    )
    index_rebuild(spec=spec, workers=0)
    yield spec
    unregister("vocabulary")


@pytest.mark.django_db
def test_the_database_engine_finds_each_groups_document_by_another_word(vocabulary_index):
    """The engine the tests run on (PostgreSQL full text or SQLite FTS5) expands each query
    with the built-in list: a group's document is found by the other word, and only it."""
    misses = []
    for key, group in enumerate(GROUPS):
        query, word = _pair_needing_the_group(group) or (group[0], "(no document)")
        found = document_search(index="vocabulary", text=query, filters={"group": str(key)})
        if found.keys != [str(key)]:
            misses.append(f"{_label(group)}: {query} → {word}")
    assert misses == []


# --- One-way lines: a broader word finds the narrower ones, not the reverse --------------


def _group_of(word: str) -> tuple[str, ...]:
    return next((group for group in GROUPS if word in group), (word,))


@pytest.mark.parametrize("line", ONE_WAY, ids=lambda line: _label(line[0]))
def test_a_broader_word_finds_the_narrower_ones_and_their_groups(line):
    """Every word before => finds every word after it and the words of their groups,
    alone and in a sentence; the line adds nothing to what those words find."""
    broader, narrower = line
    reached = [word for narrow in narrower for word in _group_of(narrow)]
    misses = [
        f"{query} → {text}"
        for query in broader
        for word in reached
        for text in (word, SENTENCE.format(word))
        if not _query(query).matches(tokens_for_index(text))
    ]
    assert misses == []
    both_ways = table_build(GROUPS)
    back = [
        word
        for word in reached
        if _built_in_table().get(_spelling(word)) != both_ways.get(_spelling(word))
    ]
    assert back == []


def test_chained_words_of_the_judged_set():
    """The gaps the judged set showed (docs/benchmarks.md, relevance, first run): 村官 finds
    the village head and the branch secretary; 退伍军人 the veterans who say 退伍 or 退役."""
    for text in ("返乡当了村主任", "当了五年村党支部书记", "在村两委任职"):
        assert _query("村官").matches(tokens_for_index(text)), text
    for text in ("服兵役两年后退伍", "退役后在遵义做快递站长", "部队退伍后开出租车"):
        assert _query("退伍军人").matches(tokens_for_index(text)), text
    assert not _query("村长").matches(tokens_for_index("大学生村官"))
