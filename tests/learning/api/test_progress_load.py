"""Twenty members at once against a real threaded server: each opens their step pages and
posts honest reading time, then posts it again as a flaky connection would. Not one request
may fail (issue 12: on SQLite, the demo's database, 13 to 21 of 30 heartbeats got "database
is locked"), and each member is credited exactly what they read, once.

Transactional, since the live server's threads use their own database connections; it runs
on both databases and stays under a few seconds of requests.
"""

import datetime
import math
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.conf import settings
from django.test import Client
from django.utils import timezone

from learning.models import CreditEntry, ProgressEvent, StepProgress
from learning.progress.services import progress_open
from portal.registry.factories import MemberFactory, UserFactory

from ..helpers import learning_setup

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.load]

MEMBERS = 20
BEAT = 15  # seconds, as progress.js reports
CSRF_TOKEN = "c" * 32
API = "/api/v1/learning/progress"


def _session(member) -> requests.Session:
    """A browser of the member's own: a session cookie from a real login, and the CSRF
    cookie the page would have set, repeated in the header as progress.js does."""
    member.user = UserFactory()
    member.save()
    client = Client()
    client.force_login(member.user)
    browser = requests.Session()
    browser.cookies.set("sessionid", client.cookies["sessionid"].value)
    browser.cookies.set("csrftoken", CSRF_TOKEN)
    browser.headers["X-CSRFToken"] = CSRF_TOKEN
    return browser


def _study(live_server, browser, steps, beats: int, start: threading.Barrier) -> list[int]:
    """What one member's phone does, ``beats`` heartbeats of reading in one batch (it was
    offline a while); returns every status code it got."""
    events = [
        {"id": str(uuid.uuid4()), "step": steps.material.pk, "kind": "heartbeat", "seconds": BEAT}
        for _ in range(beats)
    ]
    codes = []
    start.wait()
    codes.append(browser.get(live_server.url + steps.material.get_url(), timeout=60).status_code)
    for _attempt in range(2):  # the retry of a batch whose answer was lost
        response = browser.post(live_server.url + API, json={"events": events}, timeout=60)
        codes.append(response.status_code)
    codes.append(browser.get(live_server.url + steps.lecture.get_url(), timeout=60).status_code)
    return codes


def test_twenty_members_at_once_all_answered_and_credited_once(live_server, tree):
    setup = learning_setup(tree.township_a)
    members = [MemberFactory(origin=tree.village_a1) for _ in range(MEMBERS)]
    # Opened within the attention clock's gap (LEARNING_ATTENTION_GAP_SECONDS), so the time
    # since counts as presence that pays for the reading (ADR 0012).
    opened_at = timezone.now() - datetime.timedelta(
        seconds=settings.LEARNING_ATTENTION_GAP_SECONDS - 30
    )
    browsers = []
    for member in members:
        opened = progress_open(member=member, step=setup.steps.material, at=opened_at)
        browsers.append(_session(member))
    beats = math.ceil(opened.required_seconds / BEAT)  # enough to complete the material
    start = threading.Barrier(MEMBERS)
    with ThreadPoolExecutor(max_workers=MEMBERS) as pool:
        futures = [
            pool.submit(_study, live_server, browser, setup.steps, beats, start)
            for browser in browsers
        ]
        codes = [code for future in futures for code in future.result()]
    assert codes == [200] * (4 * MEMBERS)
    material = StepProgress.objects.filter(step=setup.steps.material)
    assert sorted(material.values_list("seconds_credited", flat=True)) == [beats * BEAT] * MEMBERS
    assert material.filter(completed_at__isnull=False).count() == MEMBERS
    assert StepProgress.objects.filter(step=setup.steps.lecture).count() == MEMBERS
    assert ProgressEvent.objects.filter(outcome="accepted").count() == beats * MEMBERS
    step_credits = CreditEntry.objects.filter(source_key=f"step:{setup.steps.material.pk}")
    assert sorted(step_credits.values_list("member_id", flat=True)) == sorted(
        member.pk for member in members
    )
