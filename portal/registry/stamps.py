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
