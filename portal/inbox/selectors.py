"""What reads the inbox: only ever the user's own notifications."""

from django.core.cache import cache
from django.db.models import QuerySet

from portal.inbox.models import Notification


def notifications_for(user) -> QuerySet[Notification]:
    """The user's own inbox, newest first; nobody else's notification is ever in it."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


UNREAD_COUNT_SECONDS = 300


def unread_count_key(user_id: int) -> str:
    return f"portal:inbox-unread:{user_id}"


def notifications_unread_count(user) -> int:
    """The header badge's count, from the cache while no notification of the user's was sent
    or read (portal.inbox.services forgets it then); one COUNT query otherwise."""
    key = unread_count_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user).unread().count()
        cache.set(key, count, UNREAD_COUNT_SECONDS)
    return count
