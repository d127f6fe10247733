"""The inbox: notifications to people, each kept once per recipient and source.

Each notification carries a ``source_key`` that is unique per recipient, and every write here
uses ``ignore_conflicts``: a retried or duplicated task notifies nobody twice.
"""

from collections.abc import Iterable, Iterator
from itertools import islice

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.inbox.models import Notification
from portal.inbox.selectors import unread_count_key
from portal.registry.models import Member, Organization

User = get_user_model()

BATCH_SIZE = 1000


def _batches(items: Iterable[int], size: int) -> Iterator[list[int]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def notifications_send(
    *,
    recipient_ids: Iterable[int],
    kind: str,
    title: str,
    source_key: str,
    body: str = "",
    url: str = "",
    batch_size: int = BATCH_SIZE,
) -> None:
    """Create one notification per recipient; those already told about ``source_key`` are
    skipped by the database, whatever runs at the same time.

    Batches commit one by one: if the work stops half-way, running it again tells the rest.
    """
    for batch in _batches(recipient_ids, batch_size):
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=recipient_id,
                    kind=kind,
                    title=title[:200],
                    body=body,
                    url=url[:500],
                    source_key=source_key,
                )
                for recipient_id in batch
            ],
            ignore_conflicts=True,
        )
        unread_counts_forget(batch)


def organization_member_user_ids(organization: Organization) -> list[int]:
    """Login accounts of the members whose origin or host organisation lies in the subtree."""
    path = organization.path
    return list(
        Member.objects.filter(
            Q(origin__path__startswith=path) | Q(host__path__startswith=path),
            user__isnull=False,
            user__is_active=True,
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


def notifications_mark_read(*, user, ids: Iterable[int]) -> int:
    """Mark the user's own notifications among ``ids`` as read; return how many changed."""
    changed = Notification.objects.filter(recipient=user, pk__in=list(ids), read_at=None).update(
        read_at=timezone.now()
    )
    if changed:
        unread_counts_forget([user.pk])
    return changed


def unread_counts_forget(user_ids: list[int]) -> None:
    """Forget the cached unread counts of these users, now and again once the transaction
    commits (a count read in between from another connection would miss the change)."""
    keys = [unread_count_key(user_id) for user_id in user_ids]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
