"""The one interface both engines implement, and what a search asks and answers."""

import html
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..analysis import Query, normalize
from ..registry import PreparedDocument, SearchDocument

PAGE_SIZE = 20
SNIPPET_LENGTH = 80


class SearchEngineUnavailable(Exception):
    """The engine did not accept the work (down, timed out); the caller may retry later."""


@dataclass(frozen=True)
class SearchRequest:
    """``filters``: field → value, list of values (any of), or {"gte": .., "lte": ..}; all
    must hold. ``any_of``: field → list of values; a document passes when one of these
    fields holds one of its values (a recruiter's villages or townships), empty lists count
    as no match. A ``keywords`` field also takes {"contains": words}: a value containing
    one of the words (search/engines/keywords.py). ``sort``: None (relevance with text,
    else key), "field" or "-field" of a filter field."""

    query: Query | None = None
    filters: Mapping[str, object] = field(default_factory=dict)
    any_of: Mapping[str, Sequence[object]] = field(default_factory=dict)
    facets: Sequence[str] = ()
    sort: str | None = None
    page: int = 1
    page_size: int = PAGE_SIZE

    @property
    def offset(self) -> int:
        return (max(self.page, 1) - 1) * self.page_size


@dataclass(frozen=True)
class SearchResults:
    keys: list[str]
    total: int
    facets: dict[str, dict[object, int]]
    highlights: dict[str, str]

    @classmethod
    def nothing(cls, request: "SearchRequest") -> "SearchResults":
        """No hits, and each facet the request asked for, counting none (a query whose words
        all analyse away finds nothing, on every engine)."""
        return cls(keys=[], total=0, facets={name: {} for name in request.facets}, highlights={})


class SearchEngine(ABC):
    name: str

    @abstractmethod
    def index(self, spec: SearchDocument, documents: Sequence[PreparedDocument]) -> None: ...

    @abstractmethod
    def delete(self, spec: SearchDocument, keys: Sequence[str]) -> None: ...

    @abstractmethod
    def search(self, spec: SearchDocument, request: SearchRequest) -> SearchResults: ...

    @abstractmethod
    def rebuild(self, spec: SearchDocument) -> None:
        """Start the index afresh (empty, with current mappings); the caller refills it."""

    @abstractmethod
    def status(self) -> dict: ...

    def rebuilt(self, spec: SearchDocument) -> None:  # noqa: B027 - optional, most need nothing
        """The index was refilled after ``rebuild``: a chance to refresh statistics."""


def check_request(spec: SearchDocument, request: SearchRequest) -> None:
    """Unknown filter, facet or sort fields are the caller's bug: fail loudly, not silently."""
    sort_field = (request.sort or "").lstrip("-")
    asked = {
        *request.filters,
        *request.any_of,
        *request.facets,
        *([sort_field] if sort_field else []),
    }
    unknown = asked - set(spec.filter_fields)
    if unknown:
        raise ValueError(f"{spec.name}: not filter fields: {sorted(unknown)}")
    if sort_field and spec.filter_fields[sort_field] == "keywords":
        raise ValueError(f"{spec.name}: {sort_field} holds several keywords and does not sort")


def highlight(text: str, terms: Iterable[str], length: int = SNIPPET_LENGTH) -> str:
    """An HTML-escaped snippet around the first query term found, terms in <mark>.

    Both engines build snippets here from the stored text, so they look the same."""
    folded = normalize(text)
    # NFKC and t2s keep most characters one for one; where they do not, fall back to the start.
    aligned = len(folded) == len(text)
    terms = sorted({term for term in terms if term}, key=len, reverse=True)
    hits = [folded.find(term) for term in terms] if aligned else []
    first = min((hit for hit in hits if hit >= 0), default=0)
    start = max(first - length // 4, 0)
    window = text[start : start + length]
    window_folded = folded[start : start + length] if aligned else ""
    out, index = [], 0
    while index < len(window):
        term = next((t for t in terms if window_folded.startswith(t, index)), None)
        if term:
            out.append(f"<mark>{html.escape(window[index : index + len(term)])}</mark>")
            index += len(term)
        else:
            out.append(html.escape(window[index]))
            index += 1
    prefix = "…" if start else ""
    suffix = "…" if start + length < len(text) else ""
    return prefix + "".join(out) + suffix
