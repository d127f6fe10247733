"""Versions that key what the member's learning pages keep in the cache.

A member's track page, record and step pages show the member's own learning state (progress,
credit, completions, attempts, attendance, assignments) on top of content. What is kept is
keyed by three versions, read together in one cache round trip and kept on the request:

- the content generation (``portal.content.middleware.pages_generation``): any page, image or
  document saved or deleted;
- the learning generation: any step, track assignment or organisation saved or deleted (what
  reaches whom, for every member at once);
- the member's learning version: any row of the member's learning record saved or deleted
  (progress, credit, completions and certificates, quiz attempts, attendance, the member's
  own assignments and the member's row itself), and every progress batch that changed
  something (those rows are written in plain SQL, without signals).

A version is a random string, replaced (now, and again once the change commits) rather than
incremented. A reader reads the versions before the rows it keeps under them, so a page
rendered from rows read before a change is kept under a version the change has already
replaced, and is never read again. Keys always name the member, so one member's page is never
served to another.
"""

from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.utils import timezone, translation

from portal.registry.selectors import member_if_loaded
from portal.registry.stamps import (
    LEARNING_GENERATION_KEY,
    PAGES_GENERATION_KEY,
    stamps_read,
    stamps_renew,
    user_keys_declare,
)

# Long enough to matter, short enough that anything a signal cannot see (a bulk write
# forgotten below) is shown within the hour.
KEPT_SECONDS = 3600


def _member_key(member_id: int) -> str:
    return f"learning:member-version:{member_id}"


@user_keys_declare
def _member_version_key(user) -> list[str]:
    member = member_if_loaded(user)
    return [_member_key(member.pk)] if member is not None else []


def learning_versions(request, member_id: int | None) -> str:
    """The content generation, the learning generation and the member's version (``-`` for
    no member) as one string; read once per request and kept on it."""
    known = getattr(request, "_learning_versions", None) if request is not None else None
    if known is None or (member_id is not None and member_id not in known["members"]):
        keys = [LEARNING_GENERATION_KEY]
        keys += [_member_key(member_id)] if member_id is not None else []
        found = stamps_read(keys, also=[PAGES_GENERATION_KEY], request=request)
        shared = f"{found.get(PAGES_GENERATION_KEY) or 0}.{found[LEARNING_GENERATION_KEY]}"
        known = known or {"shared": shared, "members": {}}
        if member_id is not None:
            known["members"][member_id] = found[_member_key(member_id)]
        if request is not None:
            request._learning_versions = known
    if member_id is None:
        return f"{known['shared']}.-"
    return f"{known['shared']}.{member_id}.{known['members'][member_id]}"


def learning_key(request, member_id: int | None, *parts) -> str:
    """A cache key for something shown to this member (``None``: the same for everyone): the
    versions, today's date (deadlines turn overdue and years end), the language and
    ``parts``."""
    today = timezone.localdate().isoformat()
    tail = ":".join(str(part) for part in parts)
    versions = learning_versions(request, member_id)
    return f"learning:kept:{versions}:{today}:{translation.get_language()}:{tail}"


def kept(key: str, build: Callable):
    """What is cached at ``key``, or ``build()`` cached there."""
    return cache.get_or_set(key, build, KEPT_SECONDS)


def member_learning_changed(member_ids: Iterable[int | None], *, now: bool = True) -> None:
    """The members' learning records changed: now (unless ``now`` is False, see
    ``stamps_renew``), and again once that commits."""
    stamps_renew((_member_key(pk) for pk in member_ids if pk), now=now)


def learning_generation_advance() -> None:
    """Something that reaches every member changed: now, and again once that commits."""
    stamps_renew([LEARNING_GENERATION_KEY])
