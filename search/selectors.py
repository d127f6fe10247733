"""Read-only questions about the search engine chosen in settings."""

from wagtail.search.backends import get_search_backend


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
