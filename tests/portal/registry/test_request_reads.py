"""What a page reads from the cache comes in few round trips (portal.registry.stamps
.request_read): the site, the session and the shared generations in the first, the user's
own keys with the next, each value brought along used once; the session engine takes the
session handed in and still refuses one that is gone."""

import contextlib
import threading
from unittest import mock

import pytest
from django.core.cache import cache, caches
from django.test import RequestFactory, override_settings
from django.urls import reverse

from portal.registry.stamps import (
    PAGES_GENERATION_KEY,
    SHARED_KEYS,
    request_read,
    stamps_renew,
)
from tests.portal.parcels.helpers import with_login

pytestmark = pytest.mark.django_db
CACHED_SESSIONS = override_settings(SESSION_ENGINE="portal.registry.cached_sessions")
READS = ("get", "get_many", "get_or_set")


@contextlib.contextmanager
def round_trips():
    """The cache reads made inside, outermost calls only (locmem's get_many calls get)."""
    made, inside = [], threading.local()
    backend = caches["default"]

    def counted(name):
        real = getattr(backend, name)

        def read(*args, **kwargs):
            if getattr(inside, "busy", False):
                return real(*args, **kwargs)
            made.append((name, args[0]))
            inside.busy = True
            try:
                return real(*args, **kwargs)
            finally:
                inside.busy = False

        return read

    with contextlib.ExitStack() as stack:
        for name in READS:
            stack.enter_context(mock.patch.object(backend, name, counted(name)))
        yield made


def test_what_was_brought_along_is_read_once_from_the_request():
    cache.set("probe", 1)
    cache.set(PAGES_GENERATION_KEY, 7)
    request = RequestFactory().get("/")
    with round_trips() as made:
        assert request_read(request, ["probe"], with_user=False) == {"probe": 1}
        assert request_read(request, [PAGES_GENERATION_KEY]) == {PAGES_GENERATION_KEY: 7}
    assert made == [("get_many", ["probe", *SHARED_KEYS])]
    cache.set(PAGES_GENERATION_KEY, 8)  # a second reader asks the cache again
    assert request_read(request, [PAGES_GENERATION_KEY]) == {PAGES_GENERATION_KEY: 8}


def test_a_request_that_writes_reads_the_cache_itself():
    stamps_renew(["probe-stamp"])
    request = RequestFactory().post("/")
    with round_trips() as made:
        assert set(request_read(request, ["probe-stamp"])) == {"probe-stamp"}
    assert made == [("get_many", ["probe-stamp"])]
    assert not hasattr(request, "_portal_reads")


@CACHED_SESSIONS
def test_a_members_kept_page_costs_three_round_trips(client, members):
    member = with_login(members.a1)
    client.force_login(member.user)
    url = reverse("whereabouts")
    assert client.get(url).status_code == 200
    with round_trips() as made:
        response = client.get(url)
    assert response.status_code == 200 and 'class="tabbar"' in response.content.decode()
    first, second, third = made
    assert any(key.startswith("django.contrib.sessions.cached_db") for key in first[1])
    assert set(SHARED_KEYS) <= set(first[1])
    assert {f"portal:inbox-unread:{member.user.pk}", f"portal:member-stamp:{member.pk}"} <= set(
        second[1]
    )
    assert third[0] == "get_or_set" and third[1].startswith("portal:fragment:whereabouts:")


@CACHED_SESSIONS
def test_a_session_gone_from_the_cache_and_the_database_signs_nobody_in(client, members):
    member = with_login(members.a1)
    client.force_login(member.user)
    url = reverse("whereabouts")
    assert client.get(url).status_code == 200
    session = client.session
    session.delete()  # both the cached copy and the row
    assert client.get(url).status_code == 302


@CACHED_SESSIONS
def test_a_session_read_from_the_database_when_the_cache_lost_it(client, members):
    member = with_login(members.a1)
    client.force_login(member.user)
    cache.delete(client.session.cache_key)
    assert client.get(reverse("whereabouts")).status_code == 200


def test_a_primed_session_is_used_only_for_its_own_key_and_only_once():
    """The data handed in belongs to the key it was read under: a session whose key has
    changed since (or one already loaded) reads the cache itself."""
    from portal.registry.cached_sessions import SessionStore

    mine, other = SessionStore(), SessionStore()
    mine["who"], other["who"] = "mine", "other"
    mine.create()
    other.create()
    session = SessionStore(session_key=mine.session_key)
    session.prime({"who": "handed in"})
    assert session.load() == {"who": "handed in"}
    assert session.load()["who"] == "mine"  # the second load asks the cache

    moved = SessionStore(session_key=mine.session_key)
    moved.prime({"who": "handed in"})
    moved._session_key = other.session_key  # e.g. a key cycled after the read
    assert moved.load()["who"] == "other"

    loaded = SessionStore(session_key=mine.session_key)
    assert loaded["who"] == "mine"
    loaded.prime({"who": "handed in"})
    assert loaded._primed is None
