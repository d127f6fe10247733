"""New matches of a base search, for the content rules' trigger "a talent profile newly
matches a base search".

The same daily check as a saved search's (``services.saved_search_check``): under the base
search's row lock, the profiles of the pool that match its rules now are compared with those
that matched at the last check (``BaseSearch.seen_keys``), and each one that did not match
then is news. The first check of a base search only records what matches. Each new match
raises one event keyed by (base search, profile), so a rule runs once per pair however often
the profile leaves and comes back, and a rerun or a retried task runs nothing twice. The
check keeps ``seen_keys`` up to date while no rule listens, so a rule switched on later hears
only of later matches.

The matches are the whole pool's; whom a rule may tell about one is decided per person (the
trigger's audience: only those whose recruiting scope holds the profile).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.rules.events import rules_event
from portal.rules.models import Rule
from talent.desk.selectors import base_search_keys
from talent.models import BaseSearch

TRIGGER = "talent_base_search_match"
# How many matching profiles a check remembers; a base search matching more is too broad
# for "new matches" to mean anything beyond them.
BASE_SEEN_KEYS_LIMIT = 20000


def base_search_ids_to_check() -> list[int]:
    return list(BaseSearch.objects.order_by("pk").values_list("pk", flat=True))


def base_match_key(base_search_id: int, profile_id: int) -> str:
    return f"{TRIGGER}:{base_search_id}:{profile_id}"


@transaction.atomic
def base_search_check(*, base_search_id: int) -> int:
    """Raise the events of the profiles newly matching the base search; returns how many
    (none at its first check, or while no rule listens)."""
    base = BaseSearch.objects.select_for_update().filter(pk=base_search_id).first()
    if base is None:
        return 0
    try:
        keys = base_search_keys(base, limit=BASE_SEEN_KEYS_LIMIT)
    except ValidationError:
        return 0  # its stored filters are not valid: the admin's form says so
    first_check = base.last_checked_at is None
    seen = set(base.seen_keys)
    new = [] if first_check else [key for key in keys if key not in seen]
    if new and Rule.objects.enabled().filter(trigger=TRIGGER).exists():
        for profile_id in new:
            rules_event(
                TRIGGER,
                event_key=base_match_key(base.pk, profile_id),
                base_search_id=base.pk,
                profile_id=profile_id,
            )
    else:
        new = []
    base.seen_keys, base.last_checked_at = keys, timezone.now()
    base.save(update_fields=["seen_keys", "last_checked_at", "updated_at"])
    return len(new)
