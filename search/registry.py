"""Apps register the documents they want searchable; search imports no app's models.

An app describes each kind of document once, as a ``SearchDocument``, from its
``AppConfig.ready()``. The engines and the indexing queue only ever see the spec and the
``(key, fields)`` pairs its loader yields.
"""

import enum
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .analysis import Tokens, tokens_for_index

# "keywords": several keywords a document (a list of strings), filtered by any of them or by
# words they contain (search/engines/keywords.py), counted as facets, never sorted.
FILTER_TYPES = ("keyword", "integer", "date", "boolean", "keywords")


class Weight(enum.IntEnum):
    """How much a word counts where a field holds it: each occurrence counts this many
    times in the document's weighted frequency of the word, which BM25 ranks by on every
    engine (docs/adr/0023-ranking.md). Whole numbers, so that PostgreSQL can keep the
    weighted frequency as positions of the word; changing one needs a migration that
    remakes ``search_weighted_vector`` and a reindex (tests/search/test_ranking.py)."""

    HIGH = 4  # a page's title and tags; a person's name, occupation, skills, business
    MIDDLE = 2  # a page's summary; where a person works, lives, trained, was honoured
    LOW = 1  # a page's body; a self-introduction; any field not weighted otherwise


# High to low: the order of PreparedDocument.weighted_tokens, of the database's token
# columns and of Elasticsearch's token fields, named TOKEN_FIELDS.
WEIGHTS = (Weight.HIGH, Weight.MIDDLE, Weight.LOW)
TOKEN_FIELDS = tuple(f"tokens_{weight.name.lower()}" for weight in WEIGHTS)
# More than this is held as this: BM25's term frequency saturates long before.
FREQUENCY_CAP = 32

Fields = Mapping[str, object]
Loader = Callable[[Sequence[str] | None], Iterable[tuple[str, Fields]]]


@dataclass(frozen=True)
class SearchDocument:
    """One index: what is analysed, what is filtered on, what is counted as facets.

    ``load(None)`` yields every document, ``load(keys)`` only those keys (a key it no longer
    yields has been deleted). Filter values are scalars (one value a field, so both engines
    filter, sort and count them alike), except in a ``keywords`` field (a list of strings);
    dates are ISO strings (``date.isoformat()``), which sort as dates do. ``weights``
    gives text and name fields a ``Weight`` other than LOW.
    """

    name: str
    load: Loader
    text_fields: tuple[str, ...]
    name_fields: tuple[str, ...] = ()
    filter_fields: Mapping[str, str] = field(default_factory=dict)
    facets: tuple[str, ...] = ()
    count: Callable[[], int] | None = None
    weights: Mapping[str, Weight] = field(default_factory=dict)

    def weight(self, name: str) -> Weight:
        return Weight(self.weights.get(name, Weight.LOW))

    def __post_init__(self) -> None:
        unweighted = set(self.weights) - {*self.text_fields, *self.name_fields}
        if unweighted:
            raise ValueError(f"{self.name}: weights of unknown fields: {sorted(unweighted)}")
        for name, kind in self.filter_fields.items():
            if kind not in FILTER_TYPES:
                raise ValueError(f"{self.name}.{name}: unknown filter type {kind!r}")
        unknown = set(self.facets) - set(self.filter_fields)
        if unknown:
            raise ValueError(f"{self.name}: facets must be filter fields: {sorted(unknown)}")


@dataclass(frozen=True)
class PreparedDocument:
    """A document as the engines store it: its analysed tokens by the weight of the fields
    they come from (``WEIGHTS``' order, high to low), its text for snippets, filters."""

    key: str
    weighted_tokens: tuple[Tokens, ...]
    text: str
    filters: dict[str, object]

    @property
    def tokens(self) -> Tokens:
        return tuple(token for tokens in self.weighted_tokens for token in tokens)

    def frequencies(self) -> dict[str, int]:
        """Each token's weighted frequency: ``weighted_frequencies`` of its tokens."""
        return weighted_frequencies(self.weighted_tokens)


def weighted_frequencies(weighted_tokens: Sequence[Iterable[str]]) -> dict[str, int]:
    """Each token's occurrences, each counted as its field's weight, up to FREQUENCY_CAP:
    what BM25 takes for a term's frequency in a document on every engine."""
    counted: Counter[str] = Counter()
    for weight, tokens in zip(WEIGHTS, weighted_tokens, strict=True):
        for token in tokens:
            counted[token] += weight
    return {token: min(frequency, FREQUENCY_CAP) for token, frequency in counted.items()}


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]  # type: ignore[union-attr]


Source = tuple[tuple[str, list[str]], ...]


def document_text(spec: SearchDocument, fields: Fields) -> str:
    """What a snippet is cut from: the text fields in the spec's order, a line each."""
    return _lines(fields, spec.text_fields)


def document_source(spec: SearchDocument, fields: Fields) -> Source:
    """What of a document is analysed, by weight (``WEIGHTS``' order): the text of the
    fields of that weight, a line each, and the names of its name fields."""
    return tuple(
        (
            _lines(fields, [name for name in spec.text_fields if spec.weight(name) == weight]),
            [
                part
                for name in spec.name_fields
                if spec.weight(name) == weight
                for part in _as_list(fields.get(name))
            ],
        )
        for weight in WEIGHTS
    )


def document_analyse(source: Source) -> tuple[Tokens, ...]:
    return tuple(tuple(tokens_for_index(text, names=names)) for text, names in source)


def _lines(fields: Fields, names: Iterable[str]) -> str:
    return "\n".join(part for name in names for part in _as_list(fields.get(name)) if part)


def document_filters(spec: SearchDocument, fields: Fields) -> dict[str, object]:
    return {name: fields.get(name) for name in spec.filter_fields if name in fields}


def document_prepare(spec: SearchDocument, key: str, fields: Fields) -> PreparedDocument:
    return PreparedDocument(
        key=str(key),
        weighted_tokens=document_analyse(document_source(spec, fields)),
        text=document_text(spec, fields),
        filters=document_filters(spec, fields),
    )


_documents: dict[str, SearchDocument] = {}


def register(spec: SearchDocument) -> SearchDocument:
    """Make an index known; registering the same name again replaces it (reloads, tests)."""
    _documents[spec.name] = spec
    return spec


def unregister(name: str) -> None:
    _documents.pop(name, None)


def document_spec(name: str) -> SearchDocument:
    try:
        return _documents[name]
    except KeyError:
        raise LookupError(f"No search document is registered as {name!r}") from None


def document_specs() -> list[SearchDocument]:
    return list(_documents.values())
