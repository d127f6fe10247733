"""What reads the inbox: only ever the user's own notifications."""

from django.db.models import QuerySet

from portal.inbox.models import Notification


def notifications_for(user) -> QuerySet[Notification]:
    """The user's own inbox, newest first; nobody else's notification is ever in it."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notifications_unread_count(user) -> int:
    return Notification.objects.filter(recipient=user).unread().count()
