"""Saved searches (保存的检索): a recruiter keeps a desk search under a name, opens it again
later, and may ask to be told when new people match it.

The check (``saved_search_check``) runs the search as its owner, compares the matching
profiles with those seen at the last check (``seen_keys``) and sends the owner one inbox
notification about the new ones, with a link to the desk search. It holds the search's row
lock while it works, so two runs at once cannot both notify, and a second run finds nothing
new. A profile that newly matches — created, moved into the area, consented, or changed —
counts as new once.
"""

import dataclasses

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.inbox.services import notifications_send
from portal.models import Notification
from talent.desk.search_query import talent_query_from_params, talent_query_params
from talent.desk.selectors import talent_search_keys
from talent.models import SavedSearch
from talent.saved_searches.selectors import desk_search_url
from talent.selectors import can_search_talent
from talent.services import name_clean

# How many matching profiles a check looks at and remembers; beyond it, the search is too
# broad for "new matches" to mean anything.
SEEN_KEYS_LIMIT = 5000
NAME_MAX_LENGTH = SavedSearch._meta.get_field("name").max_length
# The result page is not part of a search; the sort order is kept for when it is opened.
PRESENTATION_PARAMS = ("page",)


def saved_search_params_clean(params) -> dict[str, list[str]]:
    """The desk's GET parameters, checked and normalised (what the desk would search for),
    without the page. Bad values raise the selector's ValidationError, keyed by param."""
    query = talent_query_from_params(params)
    query = dataclasses.replace(query, page=1)
    cleaned = talent_query_params(query)
    return {
        key: list(values)
        for key, values in sorted(cleaned.items())
        if key not in PRESENTATION_PARAMS and values
    }


def _query_for(saved_search: SavedSearch):
    return talent_query_from_params(saved_search.params)


def _matching_keys(saved_search: SavedSearch) -> list[int]:
    return talent_search_keys(saved_search.owner, _query_for(saved_search), limit=SEEN_KEYS_LIMIT)


def _name_clean(name: str) -> str:
    missing = _("Give the saved search a name.")
    return name_clean(name, max_length=NAME_MAX_LENGTH, missing=missing)


def _name_taken_error() -> ValidationError:
    return ValidationError({"name": _("You already have a saved search of this name.")})


def saved_search_create(*, user, name: str, params, notify: bool = False) -> SavedSearch:
    """Keep the search under a name. What matches today counts as seen: only later matches
    are news."""
    if not can_search_talent(user):
        raise PermissionDenied
    name = _name_clean(name)
    cleaned = saved_search_params_clean(params)
    if SavedSearch.objects.filter(owner=user, name=name).exists():
        raise _name_taken_error()
    saved_search = SavedSearch(owner=user, name=name, params=cleaned, notify=notify)
    saved_search.seen_keys = _matching_keys(saved_search)
    saved_search.last_checked_at = timezone.now()
    try:
        with transaction.atomic():
            saved_search.save()
    except IntegrityError:
        raise _name_taken_error() from None
    return saved_search


def _check_owner(user, saved_search: SavedSearch) -> None:
    if saved_search.owner_id != user.pk:
        raise PermissionDenied


def saved_search_delete(*, user, saved_search: SavedSearch) -> None:
    _check_owner(user, saved_search)
    saved_search.delete()


@transaction.atomic
def saved_search_notify_set(*, user, saved_search: SavedSearch, notify: bool) -> SavedSearch:
    """Turn notifications on or off. Turning them on starts from what matches now, so the
    owner is not told at once about everyone who came while they were off."""
    _check_owner(user, saved_search)
    saved_search = SavedSearch.objects.select_for_update().get(pk=saved_search.pk)
    if saved_search.notify == notify:
        return saved_search
    saved_search.notify = notify
    fields = ["notify", "updated_at"]
    if notify:
        saved_search.seen_keys = _matching_keys(saved_search)
        saved_search.last_checked_at = timezone.now()
        fields += ["seen_keys", "last_checked_at"]
    saved_search.save(update_fields=fields)
    return saved_search


@transaction.atomic
def saved_search_check(*, saved_search_id: int) -> int:
    """Tell the owner about profiles that match now and did not at the last check; return
    how many. Nothing is sent when nothing is new, when notifications are off, or when the
    owner may no longer search the pool."""
    saved_search = (
        SavedSearch.objects.select_for_update()
        .select_related("owner")
        .filter(pk=saved_search_id, notify=True, owner__is_active=True)
        .first()
    )
    if saved_search is None:
        return 0
    try:
        keys = _matching_keys(saved_search)
    except (PermissionDenied, ValidationError):
        return 0  # the owner lost the recruiter role, or a stored parameter went stale
    seen = set(saved_search.seen_keys)
    new = [key for key in keys if key not in seen]
    if new:
        _notify(saved_search, len(new))
        saved_search.notifications_sent += 1
    saved_search.seen_keys = keys
    saved_search.last_checked_at = timezone.now()
    saved_search.save(
        update_fields=["seen_keys", "last_checked_at", "notifications_sent", "updated_at"]
    )
    return len(new)


def _notify(saved_search: SavedSearch, count: int) -> None:
    title = ngettext(
        "%(count)d new match for your saved search “%(name)s”",
        "%(count)d new matches for your saved search “%(name)s”",
        count,
    ) % {"count": count, "name": saved_search.name}
    notifications_send(
        recipient_ids=[saved_search.owner_id],
        kind=Notification.Kind.REMINDER,
        title=title,
        body=_("Open the search to see who is new in the talent pool."),
        url=desk_search_url(saved_search.params),
        source_key=f"saved_search:{saved_search.pk}:{saved_search.notifications_sent + 1}",
    )
