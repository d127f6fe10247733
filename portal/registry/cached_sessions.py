"""The session engine with a shared cache (REDIS_URL): Django's ``cached_db``, whose cached
session can be handed in by the request's first cache read
(``portal.content.middleware.SiteCacheMiddleware``) instead of read on its own: one round
trip less on every signed-in page. What is handed in is what ``cached_db`` would have read
(the same key, the same cache), and it is used only for the session key it was read under and
only by the first load; nothing handed in, it reads as ``cached_db`` does.
"""

from django.contrib.sessions.backends import cached_db


class SessionStore(cached_db.SessionStore):
    _primed = None

    def prime(self, data) -> None:
        """The session's data read from the cache at ``cache_key`` (None: not there)."""
        if isinstance(data, dict) and not hasattr(self, "_session_cache"):
            self._primed = (self.session_key, data)

    def load(self):
        primed, self._primed = self._primed, None
        if primed is not None and primed[0] == self.session_key:
            return primed[1]
        return super().load()
