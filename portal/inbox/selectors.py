"""What reads the inbox: only ever the user's own notifications."""

from django.core.cache import cache
from django.db.models import QuerySet

from portal.inbox.models import Notification
from portal.registry.stamps import request_read, user_keys_declare


def notifications_for(user) -> QuerySet[Notification]:
    """The user's own inbox, newest first; nobody else's notification is ever in it."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


UNREAD_COUNT_SECONDS = 300


def unread_count_key(user_id: int) -> str:
    return f"portal:inbox-unread:{user_id}"


@user_keys_declare
def _unread_count_keys(user) -> list[str]:
    return [unread_count_key(user.pk)]


def notifications_unread_count(user, request=None) -> int:
    """The header badge's count, from the cache while no notification of the user's was sent
    or read (portal.inbox.services forgets it then); one COUNT query otherwise. With the
    ``request``, read with its other reads (portal.registry.stamps.request_read)."""
    key = unread_count_key(user.pk)
    count = request_read(request, [key]).get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user).unread().count()
        cache.set(key, count, UNREAD_COUNT_SECONDS)
    return count
