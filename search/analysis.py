"""Chinese text analysis: the one place where text becomes search tokens.

Both engines (the database's full text and Elasticsearch) index what ``tokens_for_index``
returns and look up what ``search.synonyms.tokens_for_query`` returns (the analyzer's query
tokens with the synonyms expanded), so they agree on what matches.

- Normalising: full-width forms become half-width (NFKC), traditional characters become
  simplified (OpenCC t2s), Latin letters lower case; punctuation and a few function words
  (search/data/stopwords.txt) are dropped.
- Segmenting: jieba's dictionary (rjieba, its Rust port) plus this domain's words
  (search/data/userdict.txt). A query is cut into whole words; a document's words are also
  indexed by their parts, so 合同 finds 劳动合同 and 党员 finds 流动党员.
- Parts are chosen so they tile the word: 中华人民共和国 gives 中华, 人民, 共和国 (and 共和),
  never 华人, which straddles two of them. A query therefore matches a word or a proper part
  of one, not characters that happen to meet across a boundary (合同 does not find 配合同事,
  which jieba reads as 配合 / 同事). Where two tilings cover as much, the one jieba would cut
  the word into if it did not know it wins: 党组织 gives 组织 (党 / 组织), not 党组.
- A word jieba's HMM guessed (not in any dictionary: often a name, 张伟为 in 推荐张伟为…) has
  uncertain edges, so every pair of characters inside it is indexed as a part.
- Names are indexed whole, by their parts, and as pinyin (search/pinyin.py).
- At query time, the words of how a question is asked (如何, 需要 …: search/data/
  question_words.txt) are dropped, synonyms and abbreviations expand (search/synonyms.py),
  and pinyin typed with spaces or hyphens (Wang Fang, Zhang-Wei) may also be read joined
  (wangfang).
- A query matches a document holding most of its words, not necessarily all of them, a
  question (a query that held question words) half of them (``Query``,
  ``minimum_should_match``); docs/adr/0017-should-match.md, 0024.
"""

import functools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Protocol

from django.utils.text import slugify

from . import lexicon, pinyin
from .pinyin import NAME_SEPARATORS, is_han, pinyin_tokens, spells_pinyin

Span = tuple[int, int]
Tokens = tuple[str, ...]

# How many distinct lines, clauses, words and names an analyzer remembers the tokens of
# (about 40 MB when all are full, measured with tracemalloc).
LINE_CACHE = 20_000
CLAUSE_CACHE = 30_000
WORD_CACHE = 30_000
NAME_CACHE = 20_000
# Hyphens joining pinyin syllables a name is typed with (Zhang-Wei); NFKC has made a
# full-width one ASCII.
HYPHEN = "-"
# Punctuation, once normalised (full-width ，；：！？ are then ,;:!?), that jieba never puts in
# a word: it cuts the text on either side of one on its own, so clauses can be cut one by one.
CLAUSE_BREAK = re.compile("[,;:!?。、]")


class Segmenter(Protocol):
    """What is used of rjieba.Jieba (and of jieba.Tokenizer, which the benchmark compares)."""

    def cut(self, text: str) -> Iterable[str]: ...

    def tokenize(self, text: str, mode: str = "default") -> Iterable[tuple[str, int, int]]: ...

    def add_word(self, word: str, freq: int | None, tag: str | None) -> object: ...

    def has_word(self, word: str) -> bool: ...

    def suggest_freq(self, segment: str) -> int: ...


@functools.cache
def _converter():
    import opencc  # loads its dictionaries; only analysis needs them

    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """Half-width, simplified, lower-case: 'ＡＰＰ 黨章' → 'app 党章'."""
    return _converter().convert(unicodedata.normalize("NFKC", text)).lower()


# How many of a query's clauses a document must match: Elasticsearch's minimum_should_match
# "2<75%", all of them up to two, beyond that 75% rounded down (as Elasticsearch rounds a
# percentage), so one clause in four may be missing: 3 of 3 → 2, 4 → 3, 5 → 3, 8 → 6.
ALL_CLAUSES_UP_TO = 2
SHOULD_MATCH_PERCENT = 75
# A question (a query that held question words: 在外地怎么转组织关系) describes what it looks
# for in the asker's words, not the texts': half of its clauses, rounded up, are enough
# (Elasticsearch's "1<-50%": 2 → 1, 3 → 2, 4 → 2, 5 → 3). Matches of more still rank first.
QUESTION_MAY_MISS_PERCENT = 50


def minimum_should_match(clauses: int, *, question: bool = False) -> int:
    """The clauses a document must match, of a query of ``clauses``: the one rule every
    engine applies (the database engine counts, Elasticsearch is sent the number)."""
    if question:
        return clauses - clauses * QUESTION_MAY_MISS_PERCENT // 100
    if clauses <= ALL_CLAUSES_UP_TO:
        return clauses
    return clauses * SHOULD_MATCH_PERCENT // 100


@dataclass(frozen=True)
class Query:
    """What a document must hold to match: ``minimum_should_match`` of the clauses, each by
    at least one alternative, an alternative by all its tokens. A clause has several
    alternatives when a synonym expanded it: ((电商,), (电子商务,)). Documents matching more
    clauses rank above those matching fewer. A question (its text held question words)
    needs fewer of its clauses than a list of words does."""

    clauses: tuple[tuple[Tokens, ...], ...]
    question: bool = False

    @property
    def minimum_should_match(self) -> int:
        return minimum_should_match(len(self.clauses), question=self.question)

    def matched(self, tokens: Iterable[str]) -> int:
        """How many clauses the tokens match."""
        present = set(tokens)
        return sum(
            any(present.issuperset(alternative) for alternative in clause)
            for clause in self.clauses
        )

    def matches(self, tokens: Iterable[str]) -> bool:
        """The reference semantics every engine reproduces; an empty query matches nothing."""
        return bool(self.clauses) and self.matched(tokens) >= self.minimum_should_match

    @property
    def terms(self) -> list[str]:
        """Every token the query mentions, once, in order (for highlighting, for OR-lists)."""
        seen = {}
        for clause in self.clauses:
            for alternative in clause:
                seen.update(dict.fromkeys(alternative))
        return list(seen)


class Analyzer:
    """Turns text into tokens with one segmenter, extended once with the domain's words."""

    def __init__(self, segmenter: Segmenter) -> None:
        self.segmenter = segmenter
        self.stop_words = lexicon.stop_words()
        self.question_words = lexicon.question_words()
        # How jieba cut each domain word before it learnt it: its parts stay findable.
        self.parts = {word: self._pieces(word) for word, _freq in lexicon.user_words()}
        for word, freq in lexicon.user_words():
            segmenter.add_word(word, freq, None)
        # Lines (a city, a skill, an employer), clauses, words and names repeat from document
        # to document: each is analysed once while it stays cached. The caches are bounded,
        # so a worker that indexes for months keeps the recent ones only.
        self._line_tokens = functools.lru_cache(maxsize=LINE_CACHE)(self._analyse_line)
        self._clause_tokens = functools.lru_cache(maxsize=CLAUSE_CACHE)(self._analyse_clause)
        self._word_tokens = functools.lru_cache(maxsize=WORD_CACHE)(self._analyse_word)
        self._name_tokens = functools.lru_cache(maxsize=NAME_CACHE)(self._analyse_name)
        self._log_frequency = functools.lru_cache(maxsize=WORD_CACHE)(self._frequency)

    def cache_clear(self) -> None:
        """Forget what was analysed (benchmarks measure a cold start with it)."""
        caches = (
            self._line_tokens,
            self._clause_tokens,
            self._word_tokens,
            self._name_tokens,
            self._log_frequency,
        )
        for cached in caches:
            cached.cache_clear()
        pinyin.cache_clear()

    def _pieces(self, word: str) -> set[Span]:
        spans, start = set(), 0
        for piece in self.segmenter.cut(word):
            if 1 < len(piece) < len(word):
                spans.add((start, start + len(piece)))
            start += len(piece)
        return spans

    def keep(self, token: str) -> bool:
        has_word_character = token.isalnum() or any(char.isalnum() for char in token)
        return has_word_character and token not in self.stop_words

    def index_tokens(self, text: str, names: Iterable[str] = ()) -> list[str]:
        """Tokens in text order, repeats kept (engines rank by them); each word, then its parts."""
        tokens: list[str] = []
        # Line by line gives the tokens of the whole text in one pass: a line break ends a word
        # for the segmenter, and normalising (NFKC, OpenCC's phrases, lower case with its
        # final sigma) never looks across one.
        for line in text.split("\n"):
            tokens.extend(self._line_tokens(line))
        for name in names:
            tokens.extend(self._name_tokens(name))
        return tokens

    def query_tokens(self, text: str) -> list[str]:
        """The query's whole words, each found as a word, or a part of one, of a document;
        the words of how a question is asked are left out. Pinyin syllables joined by hyphens
        (zhang-wei) are read as typed apart, so ``expand`` joins them as a name is indexed."""
        return self.query_words(text)[0]

    def query_words(self, text: str) -> tuple[list[str], bool]:
        """``query_tokens``, and whether the text is a question: it held question words."""
        words = (word.strip() for word in self.segmenter.cut(normalize(text)))
        tokens, question = [], False
        for word in words:
            if self.asks(word):
                question = True
            elif self.keep(word):
                tokens.extend(_hyphenated_pinyin(word) or [word])
        return tokens, question

    def asks(self, word: str) -> bool:
        """Whether the word says how a question is asked: a question word, or a word jieba
        made of question words run together (找会: 找 + 会, 想找: 想 + 找)."""
        return word in self.question_words or lexicon.made_of(word, self.question_words)

    def _analyse_line(self, line: str) -> Tokens:
        tokens: list[str] = []
        for clause in CLAUSE_BREAK.split(normalize(line)):
            tokens.extend(self._clause_tokens(clause))
        return tuple(tokens)

    def _analyse_clause(self, clause: str) -> Tokens:
        return tuple(self._text_tokens(clause))

    def _text_tokens(self, text: str) -> list[str]:
        # Search mode lists each word with the dictionary words inside it; sorted by start,
        # longest first, a word comes right before what lies inside it.
        spans = sorted(self.segmenter.tokenize(text, mode="search"), key=_start_then_longest)
        tokens: list[str] = []
        count = len(spans)
        index = 0
        while index < count:
            word, start, end = spans[index]
            index += 1
            inside = []
            while index < count and spans[index][2] <= end:
                inside.append((spans[index][1] - start, spans[index][2] - start))
                index += 1
            tokens.extend(self._word_tokens(word.strip(), frozenset(inside)))
        return tokens

    def _analyse_word(self, word: str, inside: frozenset[Span]) -> Tokens:
        if not self.keep(word):
            return ()
        if len(word) < 3:  # most words: a part would be a single character
            return (word,)
        if is_han(word) and not self.segmenter.has_word(word):
            # Not in the dictionary: jieba's HMM guessed the word (张伟为 in 推荐张伟为…), so
            # its edges are guesses too: every pair of characters inside it is a part.
            parts = [word[start : start + 2] for start in range(len(word) - 1)]
        else:
            candidates = inside | self.parts.get(word, set())
            cover = Cover(word, candidates, self._log_frequency)
            parts = [word[start:end] for start, end in cover.tile(0, len(word))]
        return tuple(dict.fromkeys([word, *(part for part in parts if self.keep(part))]))

    def _frequency(self, piece: str) -> float:
        # jieba's frequency of a dictionary word (its suggestion to keep the word whole is
        # that frequency plus one); a small one for anything else.
        return math.log(max(self.segmenter.suggest_freq(piece), 1))

    def _analyse_name(self, name: str) -> Tokens:
        name = normalize(name).translate(NAME_SEPARATORS)
        if not self.keep(name):
            return ()
        tokens = [name, *self._text_tokens(name), *pinyin_tokens(name)]
        return tuple(dict.fromkeys(tokens))


def _start_then_longest(span: tuple[str, int, int]) -> tuple[int, int]:
    return span[1], -span[2]


class Cover:
    """The parts a word is indexed by: parts of the word that do not overlap and cover most
    of it, fewest first; on a tie, the cut jieba would make of the word if it did not know it
    (the largest product of the pieces' frequencies, a character left out counting as a
    piece): 党组织 gives 组织 (党 + 组织), not 党组 (党组 + 织); 二十大 gives 二十, not 十大."""

    def __init__(
        self, word: str, candidates: AbstractSet[Span], log_frequency: Callable[[str], float]
    ) -> None:
        self.word = word
        self.candidates = candidates
        self.log_frequency = log_frequency

    def tile(self, low: int, high: int) -> list[Span]:
        """The parts of [low, high), then the parts of each part longer than two characters."""
        inside = [
            (s, e) for s, e in self.candidates if low <= s and e <= high and (s, e) != (low, high)
        ]
        if not inside:
            return []
        spans = []
        for start, end in self._best(low, high, inside):
            spans.append((start, end))
            if end - start > 2:
                spans.extend(self.tile(start, end))
        return spans

    def _best(self, low: int, high: int, spans: list[Span]) -> list[Span]:
        """Dynamic programming from the right: (characters covered, -parts, log-probability,
        parts) per position."""
        starting: dict[int, list[Span]] = {}
        for start, end in spans:
            starting.setdefault(start, []).append((start, end))
        best: dict[int, tuple[int, int, float, list[Span]]] = {high: (0, 0, 0.0, [])}
        for position in range(high - 1, low - 1, -1):
            covered, negative_parts, score, parts = best[position + 1]
            character = self.log_frequency(self.word[position])
            result = (covered, negative_parts, score + character, parts)
            for start, end in starting.get(position, []):
                covered, negative_parts, score, parts = best[end]
                piece = self.log_frequency(self.word[start:end])
                option = (covered + end - start, negative_parts - 1, score + piece)
                if option > result[:3]:
                    result = (*option, [(start, end), *parts])
            best[position] = result
        return best[low][3]


def expand(
    tokens: list[str], table: Mapping[Tokens, tuple[Tokens, ...]], *, question: bool = False
) -> Query:
    """Group the query's tokens into clauses, each clause once.

    Two or more tokens in a row that are each pinyin (wang fang) are one clause, met by
    the tokens joined as a name is indexed (wangfang) or by each of them. A run of tokens
    that spells a synonym's term (the longest one first) is one clause with the term's
    alternatives. Any other token is a clause of its own."""
    longest = max(map(len, table), default=1)
    clauses: list[tuple[Tokens, ...]] = []
    index = 0
    while index < len(tokens):
        spelled = _pinyin_run(tokens, index)
        if len(spelled) > 1:
            clauses.append((("".join(spelled),), spelled))
            index += len(spelled)
            continue
        for size in range(min(longest, len(tokens) - index), 0, -1):
            run = tuple(tokens[index : index + size])
            if run in table or size == 1:
                clauses.append(table.get(run, (run,)))
                index += size
                break
    return Query(clauses=tuple(dict.fromkeys(clauses)), question=question)


def _hyphenated_pinyin(word: str) -> list[str]:
    """zhang-wei → [zhang, wei] when every piece is pinyin; else nothing (wi-fi, covid-19)."""
    pieces = word.split(HYPHEN)
    if len(pieces) > 1 and all(spells_pinyin(piece) for piece in pieces):
        return pieces
    return []


def _pinyin_run(tokens: list[str], start: int) -> Tokens:
    pair = tokens[start : start + 2]
    if len(pair) < 2 or not all(token.isascii() and token.isalpha() for token in pair):
        return tuple(pair[:1])  # no run: the syllables stay unread
    end = start
    while end < len(tokens) and spells_pinyin(tokens[end]):
        end += 1
    return tuple(tokens[start:end])


@functools.cache
def default_analyzer() -> Analyzer:
    """The process's analyzer: rjieba's dictionary loads once (about 0.7 s)."""
    import rjieba

    return Analyzer(rjieba.Jieba())


def tokens_for_index(text: str, *, names: Iterable[str] = ()) -> list[str]:
    """What a document is indexed with: its text's tokens, then its people's names' tokens."""
    return default_analyzer().index_tokens(text, names)


def pinyin_slug(text: str) -> str:
    """A URL slug of the text in plain letters: each word as its pinyin, words joined by
    hyphens (春节集中学习 → chunjie-jizhong-xuexi), Latin letters and digits kept."""
    words = []
    for word in default_analyzer().segmenter.cut(normalize(text)):
        if any("\u4e00" <= char <= "\u9fff" for char in word):
            word = "".join(syllable for syllable in pinyin.syllables(word) if syllable.isalnum())
        words.append(word)
    return slugify(" ".join(words))
