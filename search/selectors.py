"""Read-only questions about the search engine chosen in settings."""

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .engines.base import PAGE_SIZE, SearchRequest
from .registry import document_spec
from .synonyms import tokens_for_query

if TYPE_CHECKING:
    from .engines.base import SearchEngine, SearchResults


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet as a page shows it: what to send back, what to read, how many
    results hold it, and whether the reader has it ticked."""

    value: object
    label: str
    count: int
    selected: bool


def engine_status() -> dict:
    """Which engine serves search and whether it answers.

    The database engine answers whenever the database does; Elasticsearch is pinged.
    """
    return search_engine().status()


def search_engine() -> "SearchEngine":
    """The engine settings chose: the one setting is WAGTAILSEARCH_BACKENDS["default"].

    Wagtail's Elasticsearch backend means the Elasticsearch engine, on its first URL, with
    its TIMEOUT and with its INDEX as the prefix of index names; any other, the database."""
    from django.conf import settings

    from .engines.database import DatabaseEngine

    config = settings.WAGTAILSEARCH_BACKENDS["default"]
    if config["BACKEND"].rpartition(".")[2].startswith("elasticsearch"):
        return _elasticsearch_engine(config["URLS"][0], config["INDEX"], config["TIMEOUT"])
    return DatabaseEngine()


@functools.cache
def _elasticsearch_engine(url: str, prefix: str, timeout: int) -> "SearchEngine":
    # One client (and its connection pool) per process.
    from .engines.elasticsearch import ElasticsearchEngine

    return ElasticsearchEngine(url, prefix=prefix, timeout=timeout)


def document_search(
    *,
    index: str,
    text: str = "",
    filters: Mapping[str, object] | None = None,
    any_of: Mapping[str, Sequence[object]] | None = None,
    facets: Sequence[str] = (),
    sort: str | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> "SearchResults":
    """Search one registered index: Chinese text through the shared analysis, then filters.

    Empty text lists every document passing the filters; text that analyses to nothing
    (only punctuation or function words) finds nothing."""
    spec = document_spec(index)
    request = SearchRequest(
        query=tokens_for_query(text) if text.strip() else None,
        filters=dict(filters or {}),
        any_of=dict(any_of or {}),
        facets=tuple(facets),
        sort=sort,
        page=page,
        page_size=page_size,
    )
    return search_engine().search(spec, request)
