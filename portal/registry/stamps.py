"""Stamps that key what a member's pages keep in the cache: random strings, replaced when
what they stand for changes, never incremented (an evicted stamp is drawn afresh, so it
cannot bring back a piece kept under an older one).

Used by ``portal.registry.member_fragments`` (whereabouts, contact card, catalog, packages)
and ``learning.versions`` (track, record, step and quiz pages).

A page needs several of them, and the content generation, the site, the session and the
inbox count besides: read one by one, they were six to nine round trips to the cache on
every signed-in page. ``request_read`` brings them together: the first read of a GET
(the site's, in ``portal.content.middleware.SiteCacheMiddleware``) also reads the
generations every page may need (``SHARED_KEYS``), and the first read once the user is known
also reads the keys the modules declared per user (``user_keys_declare``: the inbox count,
the member's stamp and learning version). Each value so brought along is kept on the request
for its first reader only; a second read of the same key asks the cache again.
"""

import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction

PAGES_GENERATION_KEY = "portal:pages-generation"
LEARNING_GENERATION_KEY = "learning:generation"
REGISTRY_STAMP = "portal:registry-stamp"
STOCK_STAMP = "portal:stock-stamp"
SHARED_KEYS = (PAGES_GENERATION_KEY, LEARNING_GENERATION_KEY, REGISTRY_STAMP, STOCK_STAMP)

_USER_KEYS: list[Callable] = []
_ABSENT = object()


def user_keys_declare(make: Callable) -> Callable:
    """Declare ``make(user)``: the keys a signed-in user's pages read about that user, to be
    read along with the request's first read once the user is known. ``make`` must ask the
    database nothing."""
    _USER_KEYS.append(make)
    return make


def _along(request, with_user: bool) -> list[str]:
    keys = list(SHARED_KEYS)
    user = getattr(request, "user", None) if with_user else None
    if user is not None and user.is_authenticated:
        for make in _USER_KEYS:
            keys += make(user)
    return keys


def request_read(request, keys: Iterable[str], *, with_user: bool = True) -> dict:
    """The cache's values at ``keys`` (missing ones left out), for this request: what an
    earlier read brought along is taken from the request, the rest asked in one round trip
    with what every page may read and nobody has asked for yet. Only for GET and HEAD (a
    request that writes reads the cache directly); ``with_user`` False while the user is not
    known yet (the session is being read)."""
    keys = list(keys)
    if request is None or request.method not in ("GET", "HEAD"):
        return cache.get_many(keys)
    state = request.__dict__.setdefault("_portal_reads", {"held": {}, "asked": set()})
    held = state["held"]
    found = {key: held.pop(key) for key in keys if key in held}
    missing = [key for key in keys if key not in found]
    if missing:
        along = [k for k in _along(request, with_user) if k not in state["asked"]]
        along = [k for k in dict.fromkeys(along) if k not in missing]
        got = cache.get_many(missing + along)
        state["asked"].update(missing, along)
        held.update({key: got.get(key, _ABSENT) for key in along})
        found.update({key: got.get(key, _ABSENT) for key in missing})
    return {key: value for key, value in found.items() if value is not _ABSENT}


def stamps_read(keys: Iterable[str], *, also: Iterable[str] = (), request=None) -> dict[str, str]:
    """The stamps at ``keys``, one drawn where missing (another process may draw first:
    theirs wins); ``also`` are read in the same round trip but never drawn. With the
    ``request``, through ``request_read``."""
    keys = list(keys)
    found = request_read(request, [*keys, *also])
    for key in keys:
        if found.get(key) is None:
            fresh = uuid.uuid4().hex
            found[key] = fresh if cache.add(key, fresh, None) else cache.get(key, fresh)
    return found


def stamps_renew(keys: Iterable[str], *, now: bool = True) -> None:
    """Replace the stamps once the transaction commits (at once outside one): a request
    that read the rows before the commit cannot keep its piece under the new stamp.

    ``now``: inside a transaction, also replace them at once, so that what this transaction
    reads after its own change is not answered from the cache. A caller after which nothing
    in the transaction reads a kept piece (the progress API) passes False and saves a write.
    """
    keys = sorted(set(keys))
    if not keys:
        return

    def renew() -> None:
        if len(keys) == 1:  # one plain SET; set_many wraps even one key in MULTI … EXEC
            cache.set(keys[0], uuid.uuid4().hex, None)
        else:
            cache.set_many({key: uuid.uuid4().hex for key in keys}, None)

    if now and transaction.get_connection().in_atomic_block:
        renew()
    transaction.on_commit(renew)  # outside a transaction: at once
