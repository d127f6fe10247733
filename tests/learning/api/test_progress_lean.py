"""The lean answer to a progress POST (learning/api/progress_lean.py): a well-formed batch from
a signed-in member is answered without DRF, exactly as ProgressView answers it; everything else
is still ProgressView's to refuse."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import resolve

from learning.api.progress import ProgressView
from learning.models import ProgressEvent
from portal.registry.factories import MemberFactory, UserFactory

from ..helpers import learning_setup, steps_by_kind
from .test_progress import URL, logged_in, opened_a_minute_ago, post, segments_event

SHORTCUT = "learning.api.progress_lean.ProgressShortcutMiddleware"
TOKEN = "k" * 32  # the page's CSRF cookie; X-CSRFToken repeats it, as progress.js does


@pytest.fixture
def steps(tree):
    return steps_by_kind(learning_setup(tree.township_a).track)


@pytest.fixture
def dispatched(monkeypatch):
    """The requests that reached ProgressView (DRF)."""
    calls = []
    dispatch = ProgressView.dispatch

    def counted(self, request, *args, **kwargs):
        calls.append(request.path)
        return dispatch(self, request, *args, **kwargs)

    monkeypatch.setattr(ProgressView, "dispatch", counted)
    return calls


def csrf_client(member, **defaults) -> Client:
    """A member's browser as the site's page drives it: CSRF enforced, the token's cookie set."""
    client = logged_in(member, Client(enforce_csrf_checks=True, **defaults))
    client.cookies["csrftoken"] = TOKEN
    return client


def without_shortcut():
    return override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != SHORTCUT])


def test_a_members_well_formed_event_is_answered_without_drf(steps, members, dispatched):
    opened_a_minute_ago(members.a1, steps.lecture)
    client = csrf_client(members.a1)
    response = post(client, [segments_event(steps.lecture, (0, 10))], HTTP_X_CSRFTOKEN=TOKEN)
    assert response.status_code == 200
    assert response.json()["results"][0]["outcome"] == "accepted"
    assert dispatched == []
    assert ProgressEvent.objects.filter(member=members.a1).count() == 1


def test_the_lean_answer_is_the_one_progressview_gives(steps, members, tree):
    """Two members in the same village send the same events: one answered by the shortcut,
    the other by ProgressView with the shortcut taken out of the stack."""
    other = MemberFactory(name="甲一党员二", origin=tree.village_a1)
    answers = []
    for member, stack in ((members.a1, None), (other, without_shortcut())):
        opened_a_minute_ago(member, steps.lecture)
        events = [segments_event(steps.lecture, (0, 20)), segments_event(steps.lecture, (20, 30))]
        events.append({**events[0]})  # a duplicate
        events.append({**segments_event(steps.lecture, (30, 40)), "rate": -1})  # refused
        if stack:
            with stack:
                response = post(csrf_client(member), events, HTTP_X_CSRFTOKEN=TOKEN)
        else:
            response = post(csrf_client(member), events, HTTP_X_CSRFTOKEN=TOKEN)
        body = response.json()
        for result in body["results"]:
            result.pop("id")
        answers.append((response.status_code, response["Content-Type"], response["Allow"], body))
    assert answers[0] == answers[1]
    assert [r["outcome"] for r in answers[0][3]["results"]] == [
        "accepted",
        "accepted",
        "duplicate",
        "refused",
    ]


@pytest.mark.parametrize(
    "headers",
    [
        {},  # no token
        {"HTTP_X_CSRFTOKEN": "z" * 32},  # a token other than the cookie's
        {"HTTP_X_CSRFTOKEN": TOKEN, "HTTP_ORIGIN": "https://evil.example"},  # another site
    ],
    ids=["no token", "wrong token", "cross-site origin"],
)
def test_a_post_without_the_pages_token_or_from_another_site_is_refused(
    steps, members, dispatched, headers
):
    opened_a_minute_ago(members.a1, steps.lecture)
    response = post(csrf_client(members.a1), [segments_event(steps.lecture, (0, 10))], **headers)
    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")  # DRF's own refusal
    assert dispatched == [URL]
    assert not ProgressEvent.objects.exists()


def test_an_anonymous_an_inactive_or_a_non_member_user_is_refused_by_progressview(
    steps, members, dispatched
):
    inactive = csrf_client(members.a2)
    members.a2.user.is_active = False
    members.a2.user.save()
    nobody = Client(enforce_csrf_checks=True)
    nobody.force_login(UserFactory())
    for client in (nobody, inactive):
        client.cookies["csrftoken"] = TOKEN
    anonymous = Client(enforce_csrf_checks=True)
    anonymous.cookies["csrftoken"] = TOKEN
    event = segments_event(steps.lecture, (0, 10))
    refusals = [post(c, [event], HTTP_X_CSRFTOKEN=TOKEN) for c in (anonymous, inactive, nobody)]
    assert [r.status_code for r in refusals] == [403, 403, 403]
    assert len(dispatched) == 3
    assert not ProgressEvent.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"events": [{"id": "x", "step": 1, "kind": "heartbeat"}]}', "application/json"),
        ('{"events": []}', "application/json"),
        ('{"events": [', "application/json"),
        ("[1, 2]", "application/json"),
        ("events=1", "application/x-www-form-urlencoded"),
    ],
    ids=["bad event", "no events", "not JSON", "not an object", "a form"],
)
def test_what_the_lean_view_does_not_take_goes_on_to_progressview(
    members, dispatched, body, content_type
):
    client = csrf_client(members.a1)
    response = client.post(URL, body, content_type=content_type, HTTP_X_CSRFTOKEN=TOKEN)
    assert response.status_code == 400
    assert dispatched == [URL]


def test_a_host_that_is_not_allowed_gets_400(members, dispatched):
    client = csrf_client(members.a1, HTTP_HOST="evil.example")
    response = client.post(URL, '{"events": []}', content_type="application/json")
    assert response.status_code == 400
    assert dispatched == []  # refused by CommonMiddleware, before any view


def test_the_url_stays_progressviews_so_the_schema_describes_it():
    assert resolve(URL).func.cls is ProgressView
