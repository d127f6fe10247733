"""Stamps that key what a member's pages keep in the cache: random strings, replaced when
what they stand for changes, never incremented (an evicted stamp is drawn afresh, so it
cannot bring back a piece kept under an older one).

Used by ``portal.registry.member_fragments`` (whereabouts, contact card, catalog) and
``learning.versions`` (track, record, step and quiz pages).
"""

import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction


def stamps_read(keys: Iterable[str], *, also: Iterable[str] = ()) -> dict[str, str]:
    """The stamps at ``keys``, one drawn where missing (another process may draw first:
    theirs wins); ``also`` are read in the same round trip but never drawn."""
    keys = list(keys)
    found = cache.get_many([*keys, *also])
    for key in keys:
        if found.get(key) is None:
            fresh = uuid.uuid4().hex
            found[key] = fresh if cache.add(key, fresh, None) else cache.get(key, fresh)
    return found


def stamps_renew(keys: Iterable[str]) -> None:
    """Replace the stamps now, and again once the transaction commits: a request that read
    the rows before the commit cannot keep its piece under the new stamp."""
    keys = sorted(set(keys))
    if not keys:
        return

    def renew() -> None:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, None)

    renew()
    transaction.on_commit(renew)
