"""Rendered pieces of a member's own pages, cached per member and forgotten when what they
show changes.

The member's whereabouts, contact card, red-package catalog and packages render the same
HTML until the member's own records change, so a view keeps its pieces (HTML strings and
small flags, never a form's CSRF token) under a key made of:

- the page's name, the member's primary key and the active language, and what else the view
  says varies (the year asked for, today's date, the content generation);
- the member's stamp: replaced whenever the member's row, whereabouts reports, contact cards
  or activities, or package requests are saved or deleted (or moved by a service's UPDATE);
- the registry stamp: replaced when an organisation is saved or deleted or the ledger
  import writes members in bulk (names, the host side's choices, eligibility);
- the stock stamp: replaced when red-package stock moves.

A stamp is replaced now and again once the transaction commits, so a request that read the
rows before the commit cannot keep its piece under the new stamp. A missing stamp is made
afresh (random, never reused): an evicted stamp cannot bring back an old piece. Pieces live
FRAGMENT_SECONDS at most, which bounds what a change outside these paths (a tree move of
organisations) can leave on a page.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.utils.translation import get_language

from portal.registry.selectors import member_if_loaded
from portal.registry.stamps import (
    REGISTRY_STAMP,
    STOCK_STAMP,
    stamps_read,
    stamps_renew,
    user_keys_declare,
)

FRAGMENT_SECONDS = 600
MEMBER_STAMP = "portal:member-stamp:{}"


@user_keys_declare
def _member_stamp_key(user) -> list[str]:
    member = member_if_loaded(user)
    return [MEMBER_STAMP.format(member.pk)] if member is not None else []


def _stamps(member_pk: int, request) -> str:
    """The three stamps of a member's pieces, in one round trip (made where missing)."""
    keys = [MEMBER_STAMP.format(member_pk), REGISTRY_STAMP, STOCK_STAMP]
    found = stamps_read(keys, request=request)
    return ":".join(found[key] for key in keys)


def member_fragments(member, name: str, build: Callable[[], dict], *varies, request=None) -> dict:
    """The pieces `build()` makes for the member's page `name`, from the cache when they are
    still true. `varies` are what else the pieces depend on (strings or numbers); with the
    ``request``, the stamps come with the request's other reads (portal.registry.stamps)."""
    parts = [name, str(member.pk), get_language() or "", *map(str, varies)]
    key = f"portal:fragment:{':'.join(parts)}:{_stamps(member.pk, request)}"
    return cache.get_or_set(key, build, FRAGMENT_SECONDS)


def member_fragments_forget(*member_pks: int) -> None:
    """The members' records changed: their pieces are no longer true."""
    stamps_renew([MEMBER_STAMP.format(pk) for pk in member_pks if pk is not None])


def registry_fragments_forget(**kwargs) -> None:
    """Organisations or members in bulk changed: every member's pieces are no longer true."""
    stamps_renew([REGISTRY_STAMP])


def stock_fragments_forget(**kwargs) -> None:
    """Red-package stock moved: what every member may request is no longer known."""
    stamps_renew([STOCK_STAMP])


def member_row_changed(sender, instance, **kwargs) -> None:
    """A member saved or deleted (post_save/post_delete of Member)."""
    member_fragments_forget(instance.pk)


def members_row_changed(sender, instance, **kwargs) -> None:
    """A row with a ``member_id`` saved or deleted: that member's pieces are out of date.
    Which models send it is connected in portal/signal_handlers.py."""
    member_fragments_forget(instance.member_id)
