"""The session engine where there is no shared cache: Django's database sessions, read by a
plain SQL statement (``portal.registry.rows``) instead of a query built on every signed-in
request.

With ``REDIS_URL`` the settings use ``cached_db`` (``portal.registry.cached_sessions``), which
reads the database only when the cache has lost a session.
"""

from django.contrib.sessions.backends import db
from django.utils import timezone

from portal.registry.rows import rows_select


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        found = rows_select(self.model, {"session_key": self.session_key})
        if found and found[0].expire_date > timezone.now():
            return found[0]
        self._session_key = None
        return None
