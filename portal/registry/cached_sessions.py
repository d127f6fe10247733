"""The session engine with a shared cache (REDIS_URL): Django's ``cached_db``, whose cached
session can be handed in by the request's first cache read
(``portal.content.middleware.SiteCacheMiddleware``) instead of read on its own: one round
trip less on every signed-in page. What is handed in is what ``cached_db`` would have read
(the same key, the same cache); nothing handed in, it reads as ``cached_db`` does.
"""

from django.contrib.sessions.backends import cached_db


class SessionStore(cached_db.SessionStore):
    _primed = None

    def prime(self, data) -> None:
        """The session's data read from the cache at ``cache_key`` (None: not there)."""
        if isinstance(data, dict):
            self._primed = data

    def load(self):
        primed, self._primed = self._primed, None
        return primed if primed is not None else super().load()
