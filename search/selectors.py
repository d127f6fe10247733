"""Read-only questions about the search engine chosen in settings."""

import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from wagtail.search.backends import get_search_backend

from .analysis import tokens_for_query
from .engines.base import PAGE_SIZE, SearchRequest
from .registry import document_spec

if TYPE_CHECKING:
    from .engines.base import SearchEngine, SearchResults


def engine_status() -> dict:
    """Which engine serves search and whether it answers.

    The database engine answers whenever the database does; Elasticsearch is pinged.
    """
    backend = get_search_backend()
    client = getattr(backend, "es", None)
    if client is None:
        return {"engine": "database", "status": "ok"}
    try:
        reachable = bool(client.ping())
    except Exception:  # noqa: BLE001 - any transport failure means "down" here
        reachable = False
    return {"engine": "elasticsearch", "status": "ok" if reachable else "down"}


def search_engine() -> "SearchEngine":
    """The engine settings chose (SEARCH_ENGINE, derived from ELASTICSEARCH_URL)."""
    from django.conf import settings

    from .engines.database import DatabaseEngine

    if settings.SEARCH_ENGINE == "elasticsearch":
        return _elasticsearch_engine(
            settings.ELASTICSEARCH_URL,
            settings.SEARCH_INDEX_PREFIX,
            settings.SEARCH_ELASTICSEARCH_TIMEOUT,
        )
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
