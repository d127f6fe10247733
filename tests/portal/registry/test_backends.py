"""The login backend and the database session engine read with plain SQL: what they load is
what the ORM loads, and what Django refuses they refuse."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from portal.models import Member
from portal.registry.backends import ModelBackend, user_member
from portal.registry.factories import UserFactory
from portal.registry.selectors import member_for_user
from portal.registry.sessions import SessionStore

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_user(members):
    member = members.a1
    member.user = UserFactory()
    member.save()
    return member


def test_the_user_comes_with_its_member_and_organisations_in_one_query(
    member_user, django_assert_num_queries
):
    with django_assert_num_queries(1):
        user = ModelBackend().get_user(member_user.user_id)
        member = user_member(user)
    assert user.pk == member_user.user_id and user.username == member_user.user.username
    assert user.date_joined == member_user.user.date_joined and user.is_active is True
    assert (member.pk, member.origin_id, member.host_id) == (
        member_user.pk,
        member_user.origin_id,
        member_user.host_id,
    )
    assert member.user is user
    with django_assert_num_queries(0):  # the whole row, and both organisations
        assert member.name == member_user.name
        assert member.id_number == member_user.id_number
        assert member.origin.name == member_user.origin.name
        assert member.host == member_user.host
        assert member_for_user(user) is member


def test_a_member_page_reads_no_member_of_its_own(member_user, django_assert_num_queries):
    """member_for_user finds the member the backend loaded; a user loaded another way costs
    one query, and each user gets their own member."""
    other = Member.objects.exclude(pk=member_user.pk).first()
    other.user = UserFactory()
    other.save()
    for expected in (member_user, other):
        user = ModelBackend().get_user(expected.user_id)
        with django_assert_num_queries(0):
            assert member_for_user(user).pk == expected.pk
    plain = type(member_user.user).objects.get(pk=member_user.user_id)
    with django_assert_num_queries(1):
        found = member_for_user(plain)
        assert (found.pk, found.origin.name) == (member_user.pk, member_user.origin.name)


def test_a_user_without_a_member_has_none_and_asks_no_more(db, django_assert_num_queries):
    staff = UserFactory()
    user = ModelBackend().get_user(staff.pk)
    with django_assert_num_queries(0):
        assert user_member(user) is None
        with pytest.raises(Member.DoesNotExist):
            _ = user.member


def test_an_inactive_or_missing_user_is_no_one(db):
    inactive = UserFactory(is_active=False)
    assert ModelBackend().get_user(inactive.pk) is None
    assert ModelBackend().get_user(inactive.pk + 1000) is None


def test_a_signed_in_member_is_recognised_and_a_password_change_signs_them_out(member_user):
    client = Client()
    client.force_login(member_user.user)
    assert client.get("/api/v1/learning/progress").status_code == 405  # signed in: GET not allowed
    member_user.user.set_password("another-secret-9")
    member_user.user.save()
    assert client.get("/api/v1/learning/progress").status_code == 403


def test_the_database_session_engine_reads_a_live_session_and_not_an_expired_one(
    db, django_assert_num_queries
):
    live = SessionStore()
    live["answer"] = 42
    live.create()
    with django_assert_num_queries(1):
        assert SessionStore(live.session_key)["answer"] == 42
    Session.objects.filter(session_key=live.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(live.session_key)
    assert expired.get("answer") is None and expired.session_key is None


def test_a_session_signed_in_under_djangos_backend_stays_signed_in(member_user):
    """Members signed in before the project's backend existed are not signed out by it."""
    client = Client()
    client.force_login(member_user.user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/api/v1/learning/progress").status_code == 405  # signed in: GET not allowed
