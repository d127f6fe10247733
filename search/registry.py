"""Apps register the documents they want searchable; search imports no app's models.

An app describes each kind of document once, as a ``SearchDocument``, from its
``AppConfig.ready()``. The engines and the indexing queue only ever see the spec and the
``(key, fields)`` pairs its loader yields.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .analysis import tokens_for_index

FILTER_TYPES = ("keyword", "integer", "date", "boolean")

Fields = Mapping[str, object]
Loader = Callable[[Sequence[str] | None], Iterable[tuple[str, Fields]]]


@dataclass(frozen=True)
class SearchDocument:
    """One index: what is analysed, what is filtered on, what is counted as facets.

    ``load(None)`` yields every document, ``load(keys)`` only those keys (a key it no longer
    yields has been deleted). Filter values are scalars (one value a field, so both engines
    filter, sort and count them alike); dates are ISO strings (``date.isoformat()``), which
    sort as dates do.
    """

    name: str
    load: Loader
    text_fields: tuple[str, ...]
    name_fields: tuple[str, ...] = ()
    filter_fields: Mapping[str, str] = field(default_factory=dict)
    facets: tuple[str, ...] = ()
    count: Callable[[], int] | None = None

    def __post_init__(self) -> None:
        for name, kind in self.filter_fields.items():
            if kind not in FILTER_TYPES:
                raise ValueError(f"{self.name}.{name}: unknown filter type {kind!r}")
        unknown = set(self.facets) - set(self.filter_fields)
        if unknown:
            raise ValueError(f"{self.name}: facets must be filter fields: {sorted(unknown)}")


@dataclass(frozen=True)
class PreparedDocument:
    """A document as the engines store it: analysed tokens, its text for snippets, filters."""

    key: str
    tokens: tuple[str, ...]
    text: str
    filters: dict[str, object]


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]  # type: ignore[union-attr]


def document_source(spec: SearchDocument, fields: Fields) -> tuple[str, list[str]]:
    """What of a document is analysed: its text fields, a line each, and its people's names."""
    text = "\n".join(
        part for name in spec.text_fields for part in _as_list(fields.get(name)) if part
    )
    names = [part for name in spec.name_fields for part in _as_list(fields.get(name))]
    return text, names


def document_filters(spec: SearchDocument, fields: Fields) -> dict[str, object]:
    return {name: fields.get(name) for name in spec.filter_fields if name in fields}


def document_prepare(spec: SearchDocument, key: str, fields: Fields) -> PreparedDocument:
    text, names = document_source(spec, fields)
    tokens = tokens_for_index(text, names=names)
    return PreparedDocument(
        key=str(key), tokens=tuple(tokens), text=text, filters=document_filters(spec, fields)
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
