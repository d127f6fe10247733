"""Where a person in the pool lives: the prefecture-level city and the province of the current
city they wrote ("深圳", "广东深圳", "深圳市南山区", "黔东南州"), read with China's divisions in
talent/data/regions.txt.

The search index, the desk's filters and the API's parameters all go through ``place``, so a
city a recruiter asks for and the city a profile holds are read the same way.
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from search.analysis import normalize

DATA = Path(__file__).resolve().parents[1] / "data" / "regions.txt"
# Written without these endings too: 深圳 for 深圳市, 阿里 for 阿里地区, 兴安 for 兴安盟.
ENDINGS = ("地区", "市", "盟")
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Province:
    code: str  # GB/T 2260, the first two digits of an ID number
    name: str
    cities: tuple[str, ...]  # prefecture-level; none for a municipality


@dataclass(frozen=True)
class Place:
    city: str  # the prefecture-level city's full name, else the text as written (folded)
    province: str | None  # a province's code, None when the text names none


@dataclass(frozen=True)
class _Name:
    province: str
    city: str | None  # None: the name is the province's own


class Regions:
    def __init__(self, text: str) -> None:
        self.provinces: dict[str, Province] = {}
        self._names: dict[str, _Name] = {}
        self._read(text)
        self._longest = max(len(name) for name in self._names)

    def _read(self, text: str) -> None:
        code, names, cities = "", (), []
        for line in text.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            if not line[0].isspace():
                self._add_province(code, names, cities)
                code, *names = line.split()
                cities = []
            else:
                cities.extend(line.split())
        self._add_province(code, names, cities)

    def _add_province(self, code: str, names, entries: list[str]) -> None:
        if not code:
            return
        cities = []
        for entry in entries:
            city, _sep, aliases = entry.partition("=")
            cities.append(city)
            written = [city, *filter(None, aliases.split("/"))]
            written += [city[: -len(end)] for end in ENDINGS if city.endswith(end)]
            for name in written:
                self._add_name(name, _Name(code, city))
        self.provinces[code] = Province(code=code, name=names[0], cities=tuple(cities))
        for name in names:
            self._add_name(name, _Name(code, None))

    def _add_name(self, name: str, meaning: _Name) -> None:
        known = self._names.get(name)
        if known is not None and known.province != meaning.province:
            raise ValueError(f"{name} names places in two provinces")
        # 吉林 is the province before it is the city: "吉林长春" is 长春.
        if known is None or meaning.city is None:
            self._names[name] = meaning

    def _prefix(self, text: str, province: str | None = None) -> tuple[_Name | None, int]:
        for length in range(min(len(text), self._longest), 1, -1):
            meaning = self._names.get(text[:length])
            if meaning is None:
                continue
            if province is None or (meaning.province == province and meaning.city):
                return meaning, length
        return None, 0

    def place(self, text: str) -> Place | None:
        """The city and province of what someone wrote; None for nothing written."""
        folded = SPACES.sub("", normalize(text or ""))
        if not folded:
            return None
        meaning, length = self._prefix(folded)
        if meaning is None:
            return Place(city=folded, province=None)
        if meaning.city:
            return Place(city=meaning.city, province=meaning.province)
        province = self.provinces[meaning.province]
        if not province.cities:  # a municipality is its own city
            return Place(city=province.name, province=province.code)
        within, _length = self._prefix(folded[length:], province.code)
        city = within.city if within else folded
        return Place(city=city, province=province.code)  # type: ignore[arg-type]

    def province_name(self, code: str) -> str:
        province = self.provinces.get(code)
        return province.name if province else code


@functools.cache
def regions() -> Regions:
    return Regions(DATA.read_text(encoding="utf-8"))


def place_of(text: str) -> Place | None:
    return regions().place(text)


def city_key(text: str) -> str:
    """The city as the index holds it and a filter asks for it ("" for nothing written)."""
    place = place_of(text)
    return place.city if place else ""


def province_codes() -> list[str]:
    return list(regions().provinces)
