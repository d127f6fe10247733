"""The word lists shipped in search/data/: domain words, stop words, question words, surnames,
synonyms.

Read once per process; the files are small and change only with a deployment.
"""

import functools
import hashlib
from collections.abc import Set as AbstractSet
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
USER_WORDS = DATA / "userdict.txt"
STOP_WORDS = DATA / "stopwords.txt"
QUESTION_WORDS = DATA / "question_words.txt"
SURNAMES = DATA / "surnames.txt"
SYNONYMS = DATA / "synonyms.txt"


def _lines(path: Path) -> list[str]:
    """Non-empty lines, without comments (# to the end of the line)."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if line]


@functools.cache
def user_words() -> tuple[tuple[str, int | None], ...]:
    """(word, frequency or None) for each domain word the segmenter must keep whole."""
    words = []
    for line in _lines(USER_WORDS):
        word, *rest = line.split()
        words.append((word, int(rest[0]) if rest else None))
    return tuple(words)


@functools.cache
def stop_words() -> frozenset[str]:
    return frozenset(_lines(STOP_WORDS))


@functools.cache
def question_words() -> frozenset[str]:
    """Words dropped from queries only: how a question is asked (如何, 需要, 期间 …)."""
    return frozenset(_lines(QUESTION_WORDS))


@functools.cache
def surname_readings() -> dict[str, str]:
    """Surname → its pinyin as a surname, for the surnames pypinyin reads otherwise."""
    return dict(line.split(maxsplit=1) for line in _lines(SURNAMES))


ONE_WAY = "=>"


def _words(text: str) -> tuple[str, ...]:
    return tuple(word for word in (word.strip() for word in text.split(",")) if word)


@functools.cache
def builtin_synonyms() -> tuple[tuple[str, ...], ...]:
    """Groups of words that stand for each other, as written in synonyms.txt: each line,
    and the words before ``=>`` of a one-way line (``builtin_one_way``) when they are two
    or more."""
    groups = (_words(line.split(ONE_WAY, 1)[0]) for line in _lines(SYNONYMS))
    return tuple(
        group
        for line, group in zip(_lines(SYNONYMS), groups, strict=True)
        if ONE_WAY not in line or len(group) > 1
    )


@functools.cache
def builtin_one_way() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(broader words, narrower words) of each line ``A, B => C, D``: a search for A or B
    finds C and D too (and what they stand for), a search for C does not find A."""
    return tuple(
        (_words(line.split(ONE_WAY, 1)[0]), _words(line.split(ONE_WAY, 1)[1]))
        for line in _lines(SYNONYMS)
        if ONE_WAY in line
    )


@functools.cache
def fingerprint() -> str:
    """Changes whenever a file that decides the tokens of a synonym changes."""
    digest = hashlib.sha256()
    for path in (USER_WORDS, STOP_WORDS, QUESTION_WORDS, SYNONYMS):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def made_of(word: str, pieces: AbstractSet[str]) -> bool:
    """Whether the word is two or more of the pieces run together."""
    longest = max(map(len, pieces), default=0)
    # ends[i]: the fewest pieces spelling word[:i] (None: no way).
    ends: list[int | None] = [0] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - longest), end):
            if ends[start] is not None and word[start:end] in pieces:
                count = ends[start] + 1
                ends[end] = count if ends[end] is None else min(ends[end], count)
    return ends[-1] is not None and ends[-1] > 1
