"""A member on a 360×740 phone reads an assignment offline and is credited once back online;
logging out leaves nothing of theirs for the next person (docs/adr/0018)."""

from urllib.parse import urlsplit

import pytest

from learning.models import StepProgress
from portal.registry.factories import MemberFactory, UserFactory
from tests.learning.quiz_helpers import ordered_setup

from .conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, TIMEOUT_MS, screenshot
from .test_member_journey import assert_phone_friendly

pytestmark = pytest.mark.browser
PHONE_NUMBER = "13900000015"
PASSWORD = "Guiyan@2026"
CREDIT_MS = 20_000
READ_OFFLINE_MS = 7_000

# The paths of the pages the service worker keeps.
KEPT_PAGES = """async () => {
    const paths = [];
    for (const name of await caches.keys()) {
        if (!name.startsWith('guiyan-pages-')) continue;
        const cache = await caches.open(name);
        for (const request of await cache.keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
}"""


# Send progress events again, as a page would.
RESEND = """async events => {
    const token = document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]+)/)[1];
    const response = await fetch('/api/v1/learning/progress', {
        method: 'POST',
        credentials: 'same-origin',
        headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
        body: JSON.stringify({events}),
    });
    return (await response.json()).results.map(result => result.outcome);
}"""


@pytest.fixture
def assignment(home_page, tree, settings, monkeypatch):
    """The township's track; its material needs 3 s of reading, so a few seconds do, and a
    reading page reports every 3 s."""
    import learning.progress.selectors

    settings.LEARNING_READING_CHARS_PER_MINUTE = 20_000
    settings.LEARNING_HEARTBEAT_SECONDS = 3
    monkeypatch.setattr(learning.progress.selectors, "MIN_READING_SECONDS", 3)
    setup = ordered_setup(tree.township_a)
    user = UserFactory(username=PHONE_NUMBER, password=PASSWORD)
    setup.member = MemberFactory(
        name="龙小燕", phone=PHONE_NUMBER, origin=tree.village_a1, user=user
    )
    return setup


def log_in(page, live_server, next_path: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.fill("input[name=username]", PHONE_NUMBER)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_server.url + next_path)


def kept_pages(page) -> list[str]:
    return page.evaluate(KEPT_PAGES)


def kept_until(page, condition, timeout_ms: int = TIMEOUT_MS) -> list[str]:
    """The kept paths, once they meet the condition (the worker writes after it answers)."""
    for _attempt in range(timeout_ms // 100):
        paths = kept_pages(page)
        if condition(paths):
            return paths
        page.wait_for_timeout(100)
    raise AssertionError(f"the kept pages never met the condition: {paths}")


def open_through_worker(page, url: str) -> None:
    """Open a page once the service worker controls the site; it keeps a copy of the page."""
    page.wait_for_function(
        "() => !!(navigator.serviceWorker && navigator.serviceWorker.controller)"
    )
    page.goto(url)
    path = urlsplit(url).path
    kept_until(page, lambda paths: path in paths)


@pytest.fixture
def phone_browser(browser, tmp_path):
    """Launches Chromium on a phone-sized profile kept in a folder: closing it and launching
    it again is a member closing the browser and opening it later."""
    contexts = []

    def launch():
        context = browser.browser_type.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            locale="zh-CN",
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            device_scale_factor=2,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield launch
    for context in contexts:
        context.close()


def test_an_assignment_read_offline_is_credited_after_the_browser_is_closed_and_reopened(
    live_server, assignment, phone_browser, request
):
    """The member opens the track, the material and the quiz online. The phone goes offline:
    both still open (served by the service worker, styled), and the member reads the
    material; the reading waits on the phone, and the browser is closed while still offline.
    Opened again online, on "my record" (not a step page), the reading is sent and the
    material is completed; the same events sent again credit nothing more."""
    browser = phone_browser()
    page = browser.new_page()
    material = assignment.steps.material
    material_url = f"{live_server.url}{material.get_url()}"
    quiz_url = f"{live_server.url}{assignment.steps.quiz.get_url()}"
    log_in(page, live_server, assignment.track.url)
    open_through_worker(page, material_url)
    open_through_worker(page, quiz_url)

    browser.set_offline(True)
    page.goto(quiz_url)
    assert page.locator("main h1").count() == 1
    screenshot(page, request, "1-quiz-offline")
    page.goto(material_url)
    assert page.locator("#step-page h1").inner_text() == material.display_title
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == (
        "rgb(246, 243, 239)"
    ), "the stylesheet was not kept for offline reading"
    assert_phone_friendly(page)
    screenshot(page, request, "2-material-offline")
    page.wait_for_timeout(READ_OFFLINE_MS)
    key = f"guiyan.progress.queue.{assignment.member.user_id}"
    queued = page.evaluate("key => JSON.parse(localStorage.getItem(key) || '[]')", key)
    assert sum(event["seconds"] for event in queued if event["kind"] == "heartbeat") >= 3
    progress = StepProgress.objects.get(member=assignment.member, step=material)
    assert progress.completed_at is None and progress.seconds_credited == 0
    browser.close()

    browser = phone_browser()
    page = browser.new_page()
    page.goto(f"{live_server.url}/learning/record/")
    page.wait_for_function(
        "key => JSON.parse(localStorage.getItem(key) || '[]').length === 0",
        arg=key,
        timeout=CREDIT_MS,
    )
    progress.refresh_from_db()
    assert progress.completed_at is not None
    assert 3 <= progress.seconds_credited <= READ_OFFLINE_MS / 1000 + 10

    # What the phone sent may come again (a page closed before the answer): it is a duplicate.
    outcomes = page.evaluate(RESEND, queued)
    assert outcomes and set(outcomes) == {"duplicate"}
    credited = progress.seconds_credited
    progress.refresh_from_db()
    assert progress.seconds_credited == credited
    page.goto(material_url)
    page.locator("#step-status").wait_for(state="visible")
    screenshot(page, request, "3-credited")


def test_logging_out_leaves_no_page_of_the_member_on_the_phone(
    live_server, assignment, phone_page, request
):
    """After logging out, the member's pages are gone from the service worker's cache: offline,
    the material the member had read answers "offline" instead of its text."""
    page = phone_page
    material_url = f"{live_server.url}{assignment.steps.material.get_url()}"
    log_in(page, live_server, assignment.track.url)
    open_through_worker(page, material_url)
    assert urlsplit(material_url).path in kept_pages(page)

    page.locator("nav.tabbar a.tab-me").click()  # logging out is on the 我的 tab
    page.wait_for_url(f"{live_server.url}/me/")
    page.locator('form[action="/accounts/logout/"] button').click()
    page.wait_for_url(f"{live_server.url}/")
    kept_until(page, lambda paths: not any(path.startswith("/learning/") for path in paths))
    page.context.set_offline(True)
    response = page.goto(material_url)
    assert response.status == 503
    assert page.locator("#step-page").count() == 0
    assert assignment.study.title not in page.content()
    screenshot(page, request, "offline-after-logout")
