"""The header's unread count is cached per user and forgotten when the user's inbox changes."""

from portal.inbox.selectors import notifications_unread_count
from portal.inbox.services import notifications_mark_read, notifications_send
from portal.models import Notification
from portal.registry.factories import UserFactory

Kind = Notification.Kind


def _send(user_ids, key):
    notifications_send(recipient_ids=user_ids, kind=Kind.PUBLISHED, title="新资料", source_key=key)


def test_a_second_ask_costs_no_query(db, django_assert_num_queries):
    me = UserFactory()
    _send([me.pk], "a")
    assert notifications_unread_count(me) == 1
    with django_assert_num_queries(0):
        assert notifications_unread_count(me) == 1


def test_each_user_sees_their_own_count(db):
    me, other = UserFactory(), UserFactory()
    _send([me.pk], "a")
    _send([me.pk], "b")
    assert notifications_unread_count(me) == 2
    assert notifications_unread_count(other) == 0
    _send([other.pk], "c")
    assert (notifications_unread_count(me), notifications_unread_count(other)) == (2, 1)


def test_a_new_notification_and_reading_change_the_cached_count(
    db, django_capture_on_commit_callbacks
):
    me = UserFactory()
    assert notifications_unread_count(me) == 0
    with django_capture_on_commit_callbacks(execute=True):
        _send([me.pk], "a")
    assert notifications_unread_count(me) == 1
    ids = list(Notification.objects.filter(recipient=me).values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        notifications_mark_read(user=me, ids=ids)
    assert notifications_unread_count(me) == 0
