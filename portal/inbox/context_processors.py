"""Template context every site page shares: the inbox badge."""

from django.utils.functional import SimpleLazyObject

from portal.inbox.selectors import notifications_unread_count


def inbox(request) -> dict:
    """The unread count for the header's inbox badge.

    Lazy: one COUNT query, and only when a template shows it to a logged-in user.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = SimpleLazyObject(lambda: notifications_unread_count(user, request))
    return {"inbox_unread_count": count}
