"""Names as pinyin: a recruiter who cannot type the characters finds 张伟 by "zhangwei" or "zw".

Each name gives its full pinyin joined without spaces and its initials. A surname that reads
differently as a surname (单 shan, not dan; 曾 zeng, not ceng) gives both readings, so either
spelling finds the person.
"""

from . import lexicon

# Separators inside names of some minorities (阿卜杜·热合曼) and stray spaces.
NAME_SEPARATORS = str.maketrans("", "", "·•・‧ \u3000")


def is_han(text: str) -> bool:
    return bool(text) and all("\u4e00" <= char <= "\u9fff" for char in text)


def _readings(name: str) -> list[list[str]]:
    """Syllables of the name, once as pypinyin reads it and once with the surname reading."""
    from pypinyin import lazy_pinyin  # slow to import; only indexing needs it

    plain = lazy_pinyin(name, v_to_u=False)
    readings = [plain]
    surnames = lexicon.surname_readings()
    for length in (2, 1):  # compound surnames (尉迟) before single ones (尉)
        surname = name[:length]
        if len(name) > length and surname in surnames:
            given = lazy_pinyin(name[length:], v_to_u=False)
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
