"""What the search tests share besides fixtures: an engine that is down, and the setting
that chooses an engine."""

import os

from search.engines.base import SearchEngineUnavailable
from search.engines.database import DatabaseEngine


class EngineDown(DatabaseEngine):
    def index(self, spec, documents):
        raise SearchEngineUnavailable("connection refused")


def search_backends(engine: str) -> dict:
    """WAGTAILSEARCH_BACKENDS choosing ``engine`` as settings would, Elasticsearch at
    ELASTICSEARCH_URL with the tests' own index prefix."""
    if engine == "database":
        return {"default": {"BACKEND": "wagtail.search.backends.database"}}
    return {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [os.environ.get("ELASTICSEARCH_URL", "")],
            "INDEX": "guiyan-test",
            "TIMEOUT": 5,
        }
    }
