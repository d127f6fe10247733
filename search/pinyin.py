"""Names as pinyin: a recruiter who cannot type the characters finds 张伟 by "zhangwei" or "zw".

Each name gives its full pinyin joined without spaces and its initials. A surname that reads
differently as a surname (单 shan, not dan; 曾 zeng, not ceng) gives both readings, so either
spelling finds the person.
"""

import functools

from . import lexicon

# Segments (mostly single characters) whose syllables are remembered: names are many, the
# characters they are written with few.
SEGMENT_CACHE = 20_000

# Separators inside names of some minorities (阿卜杜·热合曼) and stray spaces.
NAME_SEPARATORS = str.maketrans("", "", "·•・‧ \u3000")


def is_han(text: str) -> bool:
    return bool(text) and all("\u4e00" <= char <= "\u9fff" for char in text)


def syllables(text: str) -> list[str]:
    """pypinyin's ``lazy_pinyin(text, v_to_u=False)``: 重庆 → ['chong', 'qing']."""
    return _converter_pinyin().lazy_pinyin(text)


@functools.cache
def _converter_pinyin():
    """pypinyin with each segment's syllables remembered.

    pypinyin cuts the text into segments (a phrase it knows, else single characters) and
    converts each on its own, so a remembered conversion changes nothing but the time: most
    of it goes to turning a character's toned reading into plain letters."""
    from pypinyin.converter import UltimateConverter  # slow to import; only indexing needs it
    from pypinyin.core import Pinyin

    class CachedConverter(UltimateConverter):
        @functools.lru_cache(maxsize=SEGMENT_CACHE)  # noqa: B019 - one instance, for the process
        def _segment(self, words, style, heteronym, errors, strict):
            return tuple(map(tuple, super().convert(words, style, heteronym, errors, strict)))

        def convert(self, words, style, heteronym, errors, strict, **kwargs):
            if kwargs:  # lazy_pinyin passes none; anything else is left to pypinyin
                return super().convert(words, style, heteronym, errors, strict, **kwargs)
            return [list(item) for item in self._segment(words, style, heteronym, errors, strict)]

    return Pinyin(CachedConverter(v_to_u=False))


def cache_clear() -> None:
    """Forget the remembered syllables (benchmarks measure a cold start with it)."""
    _converter_pinyin.cache_clear()


def _readings(name: str) -> list[list[str]]:
    """Syllables of the name, once as pypinyin reads it and once with the surname reading."""
    plain = syllables(name)
    readings = [plain]
    surnames = lexicon.surname_readings()
    for length in (2, 1):  # compound surnames (尉迟) before single ones (尉)
        surname = name[:length]
        if len(name) > length and surname in surnames:
            given = syllables(name[length:])
            readings.append(surnames[surname].split() + given)
            break
    return readings


def pinyin_tokens(name: str) -> list[str]:
    """Joined full pinyin and initials of a Chinese name; nothing for a name in other scripts.

    >>> pinyin_tokens("张伟")
    ['zhangwei', 'zw']
    """
    name = name.translate(NAME_SEPARATORS)
    if not is_han(name):
        return []
    tokens: list[str] = []
    for syllables in _readings(name):
        for token in ("".join(syllables), "".join(syllable[0] for syllable in syllables)):
            if token not in tokens:
                tokens.append(token)
    return tokens


@functools.cache
def _plain_syllables() -> frozenset[str]:
    """Every syllable pypinyin knows, in plain letters (ü as v, as names are indexed)."""
    from pypinyin import Style
    from pypinyin.pinyin_dict import pinyin_dict
    from pypinyin.style import convert

    readings = (reading for value in pinyin_dict.values() for reading in value.split(","))
    plain = {convert(reading, Style.NORMAL, True) for reading in readings}
    return frozenset(syllable for syllable in plain if syllable.isascii() and syllable.isalpha())


def spells_pinyin(token: str) -> bool:
    """Whether the token is one or more pinyin syllables written together: wang, ouyang,
    xiaoming; not excel or cad."""
    if not (token.isascii() and token.isalpha()):
        return False
    known = _plain_syllables()
    longest = max(map(len, known))
    # Whether token[:end] splits into syllables, for each end.
    splits = [True] + [False] * len(token)
    for end in range(1, len(token) + 1):
        splits[end] = any(
            splits[start] and token[start:end] in known
            for start in range(max(0, end - longest), end)
        )
    return splits[-1]
